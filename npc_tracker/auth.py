"""Django's ModelBackend, reading the signed-in user with the data's generation.

Every page of a signed-in user reads their ``auth_user`` row; the page cache
(``npc_tracker.pagecache``) needs the data's generation (``npc_tracker.generation``). The
user's query reads both: the generation rides on the user (``npc_generation``), and a
page served from the cache costs that one query.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import TextField
from django.db.models.expressions import RawSQL

from . import generation


class GenerationModelBackend(ModelBackend):
    def get_user(self, user_id):
        expression = generation.sql()
        if expression is None:
            return super().get_user(user_id)
        model = get_user_model()
        users = model._default_manager.annotate(
            npc_generation_raw=RawSQL(expression, (), output_field=TextField())
        )
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        user.npc_generation = generation.parse(user.npc_generation_raw)
        return user
