"""The Jinja2 environment of the one fragment it renders: the task list's rows.

Every page, its layout and the admin render with Django's engine. The task list is the
page every unit clerk opens all day, and its rows (20 a page, eight cells each) were most
of its time: rendered by Jinja2, which compiles a template to Python, the page takes about
3 ms less CPU (docs/performance.md, "Template engines"). The deputy's list saved 1.4 ms,
under the 2 ms that would justify a second engine, and renders with Django's. The
fragment's text goes through Django's gettext like every other page: it writes
``{{ _("...") }}``, which ``makemessages`` extracts.
"""

from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment


def url(viewname: str, *args) -> str:
    return reverse(viewname, args=args)


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    # Old-style callables: `_("...")` stays a plain call, which makemessages extracts.
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.globals.update(url=url)
    env.filters["date"] = date
    return env
