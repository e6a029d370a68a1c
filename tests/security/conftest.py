import pytest

from tests.security.storage import private_media


@pytest.fixture
def media(tmp_path):
    """A private, empty MEDIA_ROOT for the test (every FileField's storage points there)."""
    with private_media(tmp_path / "media") as path:
        yield path
