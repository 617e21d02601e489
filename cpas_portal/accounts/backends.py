"""Django's model backend, with the user of every request read by a compiled query.

Every request reads its user by the id in the session (``AuthenticationMiddleware``). Building that one query
costs Django's ORM more than PostgreSQL takes to answer it: the query is compiled once per process
(``cpas_portal.compiled``), which halves what the read costs. Logging in, permissions and the checks on the user
(``user_can_authenticate``: an inactive user is refused) are Django's own.

Sessions name the backend that logged them in: the sessions of the former setting (Django's backend) end at
the change, and a user logs in again once. A session lasts ``SESSION_MAX_AGE`` (10 hours) at most, so none
is open after a night's deployment.
"""

from django.contrib.auth import backends, get_user_model

from ..compiled import compiled


@compiled
def _user_rows(pk):
    return get_user_model()._default_manager.filter(pk=pk)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        if type(user_id) is not int:  # a custom key type: Django's lookup
            return super().get_user(user_id)
        rows = _user_rows(user_id)
        user = rows[0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None
