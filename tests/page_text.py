"""What a reader of a Swedish or English page meets as text of that language: everything not
inside an element marked lang="fi" (nor script, style or the page title)."""

from html.parser import HTMLParser


class UnmarkedText(HTMLParser):
    """Collects text that is not inside an element marked lang="fi" (nor script/style)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # True: this element or an ancestor is lang="fi"
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        inherited = self.stack[-1] if self.stack else False
        lang = dict(attrs).get("lang")
        finnish = (lang == "fi") if lang is not None and tag != "html" else inherited
        self.stack.append(finnish or tag in ("script", "style", "title"))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def unmarked_text(html: str) -> str:
    parser = UnmarkedText()
    parser.feed(html)
    return " ".join(parser.text)
