"""Tests that build and run the lab's real container images with podman."""
