"""A request we decline, with the prompt that explains why.

Raised inside a transaction, it rolls the transaction back: nothing half-written.
"""

from __future__ import annotations

from typing import Any

from bot.prompts import render


class Refusal(Exception):
    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def render(self) -> str:
        return render(self.key, **self.values)
