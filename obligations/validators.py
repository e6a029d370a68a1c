"""Validators for uploaded files (evidence, liaison answers).

The checks live in `lib.uploads`; this module is the Django-side entry point:

    from obligations.validators import validate_upload   # -> UploadInfo, or ValidationError
"""

from lib.uploads import ALLOWED_TYPES, UploadInfo, safe_filename, validate_upload


def validate_evidence_file(uploaded_file) -> None:
    """A form-field validator: raises ValidationError when the file is refused."""
    validate_upload(uploaded_file)


__all__ = ["ALLOWED_TYPES", "UploadInfo", "safe_filename", "validate_evidence_file", "validate_upload"]
