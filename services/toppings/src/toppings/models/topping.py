"""The one thing this service owns: a topping."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .meta import Base


class Topping(Base):
    """A topping of the catalogue, addressed by its slug."""

    __tablename__ = "toppings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(7))

    def __repr__(self) -> str:
        return f"Topping(slug={self.slug!r})"
