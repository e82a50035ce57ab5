"""The Jinja2 environment of the two busiest pages: the task list and the deputy's list.

Django's template engine renders the rest of the site and the admin. These two pages are
opened all day by every unit clerk and deputy; Jinja2 compiles a template to Python and
renders their rows several times faster (docs/performance.md). Their text goes through
Django's gettext like every other page: templates write ``{{ _("...") }}``, which
``makemessages`` extracts, and sentences with numbers in them are made in the views.
"""

from django.conf import settings
from django.template.defaultfilters import date
from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment


def url(viewname: str, *args) -> str:
    return reverse(viewname, args=args)


def querystring(request, **changes) -> str:
    """Django's ``{% querystring %}``: the request's query with keys set or (None) removed."""
    return django_querystring(None, request.GET, **changes)


def language_names() -> list[tuple[str, str]]:
    """Each language in its own name, as the language switch offers them."""
    return [
        (code, translation.get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
    ]


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    # Old-style callables: `_("... %(n)s")|format(n=...)` keeps every msgid a plain
    # `_("...")` call, which makemessages extracts from these templates.
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.globals.update(
        url=url,
        static=static,
        querystring=querystring,
        get_language=translation.get_language,
        language_names=language_names,
    )
    env.filters["date"] = date
    return env
