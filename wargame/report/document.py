"""A small document model rendered two ways, so the Markdown and the HTML report say exactly the same."""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    lead: str = ""            # a bold lead-in


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    align: str = ""           # one letter per column: l or r (default l)


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Items:
    items: list[str]
    numbered: bool = False


Block = Heading | Para | Table | Image | Items


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    # -- Markdown ------------------------------------------------------------------------------------
    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        for b in self.blocks:
            if isinstance(b, Heading):
                out += ["#" * (b.level + 1) + " " + b.text, ""]
            elif isinstance(b, Para):
                out += [(f"**{b.lead}** " if b.lead else "") + b.text, ""]
            elif isinstance(b, Table):
                cells = lambda row: "| " + " | ".join(_md_cell(c) for c in row) + " |"  # noqa: E731
                rule = "|" + "|".join("---:" if a == "r" else "---" for a in _aligns(b)) + "|"
                out += [cells(b.header), rule] + [cells(r) for r in b.rows] + [""]
            elif isinstance(b, Image):
                out += [f"![{b.alt}]({b.src})", ""]
                if b.caption:
                    out += [f"*{b.caption}*", ""]
            elif isinstance(b, Items):
                out += [(f"{i}. " if b.numbered else "- ") + item for i, item in enumerate(b.items, 1)] + [""]
        return "\n".join(out).rstrip() + "\n"

    # -- HTML ------------------------------------------------------------------------------------------
    def html(self) -> str:
        e = html.escape
        body = [f"<h1>{e(self.title)}</h1>"]
        for b in self.blocks:
            if isinstance(b, Heading):
                level = min(6, b.level + 1)
                body.append(f"<h{level}>{e(b.text)}</h{level}>")
            elif isinstance(b, Para):
                lead = f"<strong>{e(b.lead)}</strong> " if b.lead else ""
                body.append(f"<p>{lead}{e(b.text)}</p>")
            elif isinstance(b, Table):
                aligns = _aligns(b)
                head = "".join(f"<th class='{a}'>{e(c)}</th>" for c, a in zip(b.header, aligns))
                rows = "".join("<tr>" + "".join(f"<td class='{a}'>{_html_cell(c)}</td>" for c, a in zip(r, aligns))
                               + "</tr>" for r in b.rows)
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            elif isinstance(b, Image):
                caption = f"<figcaption>{e(b.caption)}</figcaption>" if b.caption else ""
                body.append(f"<figure><img src='{e(b.src)}' alt='{e(b.alt)}'>{caption}</figure>")
            elif isinstance(b, Items):
                tag = "ol" if b.numbered else "ul"
                body.append(f"<{tag}>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + f"</{tag}>")
        return (f"<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n<title>{e(self.title)}</title>\n"
                f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def _aligns(t: Table) -> list[str]:
    return [(t.align[i] if i < len(t.align) else "l") for i in range(len(t.header))]


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def _html_cell(text: str) -> str:
    return "<br>".join(html.escape(line) for line in str(text).split("\n"))


CSS = """
body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4; color: #222;
       max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.7em; border-bottom: 2px solid #2c3e50; padding-bottom: .2em; }
h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.1em; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: 9pt; }
th, td { border: 1px solid #ccc; padding: .25em .45em; vertical-align: top; }
th { background: #eef1f4; text-align: left; }
td.r, th.r { text-align: right; white-space: nowrap; }
figure { margin: 1em 0; page-break-inside: avoid; }
figure img { max-width: 100%; }
figcaption { font-size: 9pt; color: #555; }
ol li { margin-bottom: .5em; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  h2 { page-break-after: avoid; }
  tr, figure { page-break-inside: avoid; }
}
"""
