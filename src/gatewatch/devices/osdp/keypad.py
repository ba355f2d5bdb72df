"""What a reader's card and keys present: a card, a card with its PIN, or a PIN credential.

The conventions, per reader (``pin_wait_s`` and ``keypad_prefix`` in its configuration):

- **A card alone.** With ``pin_wait_s: 0`` a card is presented at once, without a PIN.
- **A card, then its PIN.** With ``pin_wait_s > 0`` the reader waits after a card (its LED
  flashes amber): digits keyed and ended by ``#`` go with the card as its PIN. ``#`` alone
  presents the card without a PIN at once; ``*`` clears the digits keyed so far. The wait
  restarts with every key; when it runs out the card is presented without a PIN (a ``card``
  credential opens, a ``card+pin`` one is denied for want of its PIN).
- **A PIN credential, no card.** ``NUMBER*PIN#`` presents the credential ``keypad_prefix`` +
  ``NUMBER`` (``pin-42`` for ``42*1234#``) with that PIN: a PIN alone cannot name a credential,
  since the desk keeps only each PIN's salted hash. Keys not ended within ``KEYS_WAIT_S`` are
  forgotten.

What does not fit (a PIN of fewer than 4 or more than 12 digits, a number of more than 20
digits, no number before ``*``) is refused at the reader without asking the desk.

Keys arrive as OSDP keypad data: ASCII digits ``0``-``9``; ``*`` as 0x7F (OSDP) or ``*``;
``#`` as 0x0D (OSDP) or ``#``. Anything else is ignored. The logic is pure: time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatewatch.core import limits

KEYS_WAIT_S = 10.0
"""How long keys without a card wait for the next key before they are forgotten."""

NUMBER_DIGITS_MOST = 20
"""The longest number a ``NUMBER*PIN#`` entry may name (a badge number is shorter)."""

KEYS_MOST = NUMBER_DIGITS_MOST + 1 + limits.PIN_DIGITS_MOST
"""Keys held at most before the entry is refused."""

STAR = frozenset({0x7F, ord("*")})
HASH = frozenset({0x0D, ord("#")})


@dataclass(frozen=True, slots=True)
class Presented:
    """A credential presented at the reader (with its PIN, when one was keyed): ask the desk."""

    credential: str
    pin: str | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    """An entry that cannot be presented: the reader shows a denial; the desk is not asked."""

    why: str


@dataclass(frozen=True, slots=True)
class Waiting:
    """A card is held for its PIN: the reader prompts for it until ``until``."""

    until: float


Outcome = Presented | Refused | Waiting


class Keypad:
    """One reader's entry in progress."""

    def __init__(self, pin_wait_s: float, keypad_prefix: str) -> None:
        self.pin_wait_s = pin_wait_s
        self.prefix = keypad_prefix
        self.card: str | None = None
        self.keys = ""
        self.last = 0.0

    def deadline(self) -> float | None:
        """When ``expire`` must next be called, or None when nothing is held."""
        if self.card is not None:
            return self.last + self.pin_wait_s
        if self.keys:
            return self.last + KEYS_WAIT_S
        return None

    def expire(self, now: float) -> Outcome | None:
        """At the deadline: a card held is presented without a PIN; lone keys are forgotten."""
        due = self.deadline()
        if due is None or now < due:
            return None
        card = self.card
        self._clear()
        return Presented(card) if card is not None else None

    def present_card(self, credential: str, now: float) -> Outcome:
        """A card was read: presented at once, or held for its PIN (a card held before is dropped)."""
        self._clear()
        if self.pin_wait_s <= 0:
            return Presented(credential)
        self.card = credential
        self.last = now
        return Waiting(now + self.pin_wait_s)

    def press(self, data: bytes, now: float) -> list[Outcome]:
        """Keys were pressed: what they complete, in order (usually nothing until ``#``)."""
        outcomes: list[Outcome] = []
        for key in data:
            outcome = self._key(key, now)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    def _key(self, key: int, now: float) -> Outcome | None:
        if key in HASH:
            return self._ended()
        if key in STAR:
            self.last = now
            if self.card is not None:
                self.keys = ""
                return Waiting(now + self.pin_wait_s)
            self.keys += "*"
        elif ord("0") <= key <= ord("9"):
            self.last = now
            self.keys += chr(key)
        else:
            return None
        if len(self.keys) > KEYS_MOST:
            self._clear()
            return Refused("too many keys")
        return Waiting(now + self.pin_wait_s) if self.card is not None else None

    def _ended(self) -> Outcome | None:
        card, keys = self.card, self.keys
        self._clear()
        if card is not None:
            if not keys:
                return Presented(card)
            return Presented(card, keys) if _is_pin(keys) else Refused("a PIN is 4 to 12 digits")
        if not keys:
            return None
        number, star, pin = keys.partition("*")
        if not star or not number or "*" in pin:
            return Refused("a PIN credential is keyed NUMBER*PIN#")
        if len(number) > NUMBER_DIGITS_MOST:
            return Refused(f"a credential number is at most {NUMBER_DIGITS_MOST} digits")
        if not _is_pin(pin):
            return Refused("a PIN is 4 to 12 digits")
        return Presented(self.prefix + number, pin)

    def _clear(self) -> None:
        self.card = None
        self.keys = ""


def _is_pin(keys: str) -> bool:
    return keys.isdigit() and limits.PIN_DIGITS_FEWEST <= len(keys) <= limits.PIN_DIGITS_MOST
