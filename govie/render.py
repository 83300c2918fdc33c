"""displaCy pictures of an extraction: entities inline, relations listed beside them."""
from __future__ import annotations

import html

from .pipeline import Extraction

COLORS = {"INDICATOR": "#9fd3ff", "VALUE": "#ffd27f", "UNIT": "#ffe9b8", "ENTITY": "#c7f0c2",
          "PROJECT": "#f3c1f0", "REGION": "#d9d2ff"}
_REL_ORDER = ("HAS_VALUE", "HAS_UNIT", "SUBJECT_OF", "PARTICIPATES_IN", "LOCATED_IN")


def render(ex: Extraction, *, page: bool = False, title: str | None = None, max_relations: int = 400) -> str:
    """HTML: displaCy's entity view of the text, then a table of the relations."""
    from spacy import displacy
    data = {"text": ex.text, "title": title or ex.meta.get("source"),
            "ents": [{"start": e.start, "end": e.end, "label": e.label} for e in ex.entities]}
    ents_html = displacy.render(data, style="ent", manual=True, page=False,
                                options={"colors": COLORS, "ents": list(COLORS)})
    rows = []
    rels = sorted(ex.relations, key=lambda r: (r.head.start, _REL_ORDER.index(r.type)))
    for r in rels[:max_relations]:
        rows.append(f"<tr><td>{html.escape(r.head.text)}</td><td><span class='lab'>{r.head.label}</span></td>"
                    f"<td>→ {r.type} →</td><td>{html.escape(r.tail.text)}</td>"
                    f"<td><span class='lab'>{r.tail.label}</span></td></tr>")
    more = f"<p>… {len(rels) - max_relations} more relations</p>" if len(rels) > max_relations else ""
    table = ("<h3>Relations</h3><table class='govie-rel'>" + "".join(rows) + "</table>" + more) if rows else ""
    body = (f"<div class='govie'>{ents_html}{table}</div>")
    if not page:
        return body
    style = ("body{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;margin:2em;max-width:60em}"
             ".govie-rel td{padding:2px 8px;border-bottom:1px solid #eee}.lab{font-size:0.75em;color:#555}")
    return (f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>govie</title>"
            f"<style>{style}</style></head><body>{body}</body></html>")
