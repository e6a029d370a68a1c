"""The language rule of bilingual data: English where English is active and the text exists,
Spanish otherwise (the product's working language)."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "es").startswith("en")


def localized(text_es: str, text_en: str) -> str:
    """`text_en` when English is active and it is filled, else `text_es`."""
    return text_en if text_en and is_english() else text_es
