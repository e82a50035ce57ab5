"""Submit an action's form as a browser does: through its confirmation step, when the page
answers with one (suggestions/confirmation.py)."""

from html.parser import HTMLParser


class _ConfirmationForm(HTMLParser):
    """The action and the hidden inputs of the first confirmation panel of a page."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.done = False
        self.action = ""
        self.data: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if not self.inside and "confirmation" in (attrs.get("class") or "").split():
            self.inside = True
        elif self.inside and tag == "form":
            self.action = attrs.get("action") or ""
        elif self.inside and tag == "input" and attrs.get("type") == "hidden":
            self.data.setdefault(attrs["name"], []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if self.inside and tag == "form":
            self.inside, self.done = False, True


def confirmation_of(response) -> tuple[str, dict] | None:
    """The confirmation panel's (action, hidden values), or None when the page has none."""
    if response.status_code != 200 or b'class="confirmation' not in response.content:
        return None
    parser = _ConfirmationForm()
    parser.feed(response.content.decode())
    return parser.action.split("#")[0], parser.data


def confirm(client, response, url: str):
    """POST the panel's values as its Confirm button does (to ``url`` if it names none)."""
    action, data = confirmation_of(response)
    return client.post(action or url, data)


def submit(client, url: str, data: dict):
    """POST ``data`` to ``url``; when the page asks for confirmation, confirm."""
    response = client.post(url, data)
    if confirmation_of(response) is not None:
        response = confirm(client, response, url)
    return response
