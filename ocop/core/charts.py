"""Charts drawn on the server as SVG (issue 14): horizontal bars, stacked by series, beside
the table that carries the same numbers. No JavaScript and no library: the page stays light,
prints, and reads the same without scripts; the table is what screen readers and Excel use
(the chart is `aria-hidden`).

`bar_chart` lays the bars out; `templates/includes/_bar_chart.html` draws them.
"""

from dataclasses import dataclass, field

# Colours of the series, by name (Bootstrap's palette, readable on white).
COLOURS = {
    "primary": "#0d6efd",
    "success": "#198754",
    "ocop": "#0b6e4f",
    "warning": "#ffc107",
    "danger": "#dc3545",
    "info": "#0dcaf0",
    "secondary": "#6c757d",
    "star3": "#b7d7c9",
    "star4": "#4f9d7e",
    "star5": "#0b6e4f",
}
LABEL_WIDTH = 150
BAR_AREA = 250
BAR_HEIGHT = 18
GAP = 8


@dataclass
class Segment:
    x: float
    width: float
    colour: str
    value: int
    series: str


@dataclass
class Bar:
    label: str
    y: float
    total: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT * 0.75

    @property
    def end_x(self) -> float:
        return LABEL_WIDTH + sum(s.width for s in self.segments) + 6


@dataclass
class Chart:
    bars: list[Bar]
    legend: list[tuple[str, str]]
    height: float
    width: int = LABEL_WIDTH + BAR_AREA + 40
    label_width: int = LABEL_WIDTH


def bar_chart(rows, series) -> Chart:
    """`rows`: (label, [value per series]); `series`: (name shown in the legend, colour key).
    Bars are scaled to the largest row total."""
    largest = max((sum(values) for _label, values in rows), default=0) or 1
    bars = []
    for index, (label, values) in enumerate(rows):
        bar = Bar(label=str(label), y=index * (BAR_HEIGHT + GAP), total=sum(values))
        x = LABEL_WIDTH
        for value, (name, colour) in zip(values, series, strict=True):
            width = BAR_AREA * value / largest
            if value:
                bar.segments.append(
                    Segment(x=x, width=width, colour=COLOURS[colour], value=value, series=name)
                )
            x += width
        bars.append(bar)
    legend = [(str(name), COLOURS[colour]) for name, colour in series]
    return Chart(bars=bars, legend=legend, height=max(len(bars), 1) * (BAR_HEIGHT + GAP))
