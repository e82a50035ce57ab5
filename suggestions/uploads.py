"""Files kept on the server between the steps of a form.

A browser cannot refill a file input: once a form with a file comes back (to confirm, or
refused), the file would have to be chosen again. The reply's form keeps a valid document
here and carries a signed token in a hidden field instead (``keep``); the next step gets
the same file back (``restore``) and the kept copy is deleted once the action is done
(``discard``) or, if abandoned, after ``MAX_AGE`` by the next ``keep``.

The folder is ``MEDIA_ROOT/kept/``, which no URL serves (there is no media URL: documents
go out only through a view that checks access). A token names the user it was given to
and is refused to anyone else, and after ``MAX_AGE``.
"""

import os
import re
import time
import uuid

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

FOLDER = "kept"
MAX_AGE = 6 * 60 * 60  # seconds: a working morning or afternoon between the two steps
SALT = "suggestions.uploads.kept"
_KEY = re.compile(r"[0-9a-f]{32}")


def _storage() -> FileSystemStorage:
    # Read at each call: the tests move MEDIA_ROOT.
    return FileSystemStorage(location=os.path.join(settings.MEDIA_ROOT, FOLDER))


def _prune(storage: FileSystemStorage) -> None:
    """Delete the kept files older than ``MAX_AGE``: their tokens have expired."""
    try:
        _dirs, names = storage.listdir("")
    except FileNotFoundError:
        return
    cutoff = time.time() - MAX_AGE
    for name in names:
        try:
            if os.path.getmtime(storage.path(name)) < cutoff:
                storage.delete(name)
        except FileNotFoundError:
            pass  # deleted by a concurrent prune


def keep(upload, *, owner: int) -> str:
    """Keep ``upload`` for ``owner`` (a user's id); the token that gives it back."""
    storage = _storage()
    _prune(storage)
    key = uuid.uuid4().hex
    upload.seek(0)
    # A plain File: the storage copies it (an uploaded temporary file would be moved away).
    storage.save(key, File(upload.file, name=key))
    upload.seek(0)
    return signing.dumps({"key": key, "name": upload.name, "owner": owner}, salt=SALT)


def _read(token: str, *, max_age: int | None = MAX_AGE) -> dict | None:
    try:
        found = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # expired too
        return None
    if not isinstance(found, dict) or not _KEY.fullmatch(str(found.get("key", ""))):
        return None
    return found


def restore(token: str, *, owner: int | None) -> ContentFile | None:
    """The file kept under ``token`` for ``owner``, or None (unknown, expired, another's)."""
    found = _read(token)
    if found is None or owner is None or found.get("owner") != owner:
        return None
    storage = _storage()
    if not storage.exists(found["key"]):
        return None
    with storage.open(found["key"], "rb") as kept:
        return ContentFile(kept.read(), name=found["name"])


def discard(token: str) -> None:
    """Delete the file kept under ``token`` (once the action that used it is done)."""
    found = _read(token, max_age=None)
    if found is not None:
        _storage().delete(found["key"])
