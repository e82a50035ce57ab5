"""Files kept between the steps of a form: given back to their owner only, for a while."""

import datetime
import os

import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suggestions import uploads


def upload(content=b"%PDF-1.7\n%%EOF\n"):
    return SimpleUploadedFile("答复函.pdf", content)


def kept_names():
    return os.listdir(os.path.join(settings.MEDIA_ROOT, uploads.FOLDER))


def test_a_kept_file_comes_back_to_its_owner_with_its_name_and_content(db):
    """The token gives the same bytes and name back to the user it was given to."""
    token = uploads.keep(upload(), owner=7)
    kept = uploads.restore(token, owner=7)
    assert (kept.name, kept.read()) == ("答复函.pdf", b"%PDF-1.7\n%%EOF\n")


def test_a_kept_file_is_refused_to_anyone_else_and_to_a_forged_token(db):
    """Another user, no user, or a token altered by hand get nothing."""
    token = uploads.keep(upload(), owner=7)
    assert uploads.restore(token, owner=8) is None
    assert uploads.restore(token, owner=None) is None
    assert uploads.restore(token[:-2] + "xx", owner=7) is None


def test_a_kept_file_expires_and_is_pruned(db):
    """After MAX_AGE the token is refused, and the next file kept deletes the old one."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = uploads.keep(upload(), owner=7)
    old = kept_names()
    later = start + datetime.timedelta(seconds=uploads.MAX_AGE + 60)
    with time_machine.travel(later, tick=False):
        assert uploads.restore(token, owner=7) is None
        os.utime(
            os.path.join(settings.MEDIA_ROOT, uploads.FOLDER, old[0]),
            (start.timestamp(), start.timestamp()),
        )
        uploads.keep(upload(), owner=7)
        assert old[0] not in kept_names() and len(kept_names()) == 1


def test_discard_deletes_the_kept_file(db):
    """Once the action is done, the kept copy is gone."""
    token = uploads.keep(upload(), owner=7)
    uploads.discard(token)
    assert kept_names() == []
    assert uploads.restore(token, owner=7) is None
