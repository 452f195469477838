"""What the browser tests and the browser benchmark measure on a page: frame times, DOM size."""

from __future__ import annotations

import json

from playwright.sync_api import Page


def timed(page: Page, action: str) -> float:
    """Milliseconds from running `action` (JS) to the next painted frame after the re-render."""
    return float(
        page.evaluate(
            """async (action) => {
                const t0 = performance.now();
                (new Function(action))();
                await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
                return performance.now() - t0;
            }""",
            action,
        )
    )


def keystroke_ms(page: Page, text: str) -> float:
    """Median milliseconds from one typed character in the chat box to the next painted frame."""
    return float(
        page.evaluate(
            """async (text) => {
                const el = document.querySelector('[data-testid=chat-input]');
                el.focus();
                const times = [];
                for (const ch of text) {
                    const t0 = performance.now();
                    el.value += ch;
                    el.dispatchEvent(new Event('input', {bubbles: true}));
                    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
                    times.push(performance.now() - t0);
                }
                times.sort((a, b) => a - b);
                return times[Math.floor(times.length / 2)];
            }""",
            text,
        )
    )


def median_ms(page: Page, actions: list[str]) -> float:
    """Median of `timed` over the actions (one shared machine: single runs are noisy)."""
    times = sorted(timed(page, a) for a in actions)
    return times[len(times) // 2]


CLICK_SORT = "document.querySelector('[data-testid=sort-{}]').click()"


def set_filter(text: str) -> str:
    return (
        "const el = document.querySelector('[data-testid=track-filter]');"
        f"el.value = {json.dumps(text)}; el.dispatchEvent(new Event('input', {{bubbles: true}}));"
    )


def dom_nodes(page: Page) -> int:
    return int(page.evaluate("document.getElementsByTagName('*').length"))
