"""Nicknames and hypocorisms: Peggy is Margaret, Beto is Roberto, Misha is Mikhail.

Two parts are one name as a nickname when they share a *full name*: the part itself, the full
names the ``nicknames`` package (English given names and their nicknames, hand-curated,
Apache-2.0) gives it, and those of the small table below. rigour's own nickname groups are
used beside these by ``gatewatch.core.names``, and a nickname of a full name is also a nickname
of that name's variants in rigour's name data (Beto for Roberto, so for Robert).

The table holds common hypocorisms of Spanish, Portuguese, Italian, German, French, English,
Russian and Arabic given names that neither the ``nicknames`` package nor rigour's data know
(checked when the table was written), and the short written forms of Muhammad (Mohd, Md); it
stays a few dozen lines of well-known forms, not a name list.

A part that the nickname data or the given-name lists of Faker's person providers (MIT: the
given names of some eighty locales, the broadest maintained list a package carries) know is a
*given name*: a swap of two given names ("Thomas Martin", "Martin Thomas") is weaker evidence
than a swap of a given and a family name. The Arabic given and family names of the same lists,
read by ICU, give the consonant skeletons by which a part in Latin letters is known to be of
Arabic origin.
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from functools import cache, lru_cache

HYPOCORISMS: dict[str, tuple[str, ...]] = {
    # Spanish
    "roberto": ("beto",),
    "alberto": ("beto",),
    "humberto": ("beto",),
    "guadalupe": ("lupe", "lupita"),
    "jose": ("pepe", "pepito", "chepe", "ze"),
    "ignacio": ("nacho",),
    "jesus": ("chucho", "chuy"),
    "enrique": ("quique", "kike"),
    "eduardo": ("lalo",),
    "guillermo": ("memo",),
    "concepcion": ("concha", "conchita"),
    "pilar": ("pili",),
    "rafael": ("rafa",),
    "santiago": ("santi",),
    "fernando": ("nando",),
    "teresa": ("tere",),
    "antonio": ("toni", "tono", "tonho", "tonino"),
    # Portuguese
    "francisco": ("chico",),
    "augusto": ("guto",),
    # Italian
    "giuseppe": ("beppe", "peppe", "peppino", "pino"),
    "luigi": ("gigi",),
    "salvatore": ("toto", "turi"),
    "francesco": ("ciccio",),
    "giovanni": ("gianni", "nino"),
    "domenico": ("mimmo",),
    # German
    "josef": ("sepp", "seppl", "jupp"),
    "johannes": ("hansi", "hannes"),
    "friedrich": ("fritz",),
    "theresia": ("resi",),
    "elisabeth": ("liesl", "babette"),
    "margarete": ("gretel", "grete"),
    "ulrich": ("uli",),
    "nikolaus": ("klaus",),
    # French
    "emmanuel": ("manu",),
    "andre": ("dede",),
    "pierre": ("pierrot",),
    "isabelle": ("zaza",),
    # English and Irish
    "william": ("liam",),
    # Russian
    "mikhail": ("misha",),
    "dmitry": ("dima",),
    "ivan": ("vanya",),
    "pyotr": ("petya",),
    "sergei": ("seryozha",),
    "aleksei": ("alyosha", "lyosha"),
    "yevgeny": ("zhenya",),
    "konstantin": ("kostya",),
    "anatoly": ("tolya", "tolik"),
    "viktor": ("vitya",),
    "vyacheslav": ("slava",),
    "yuri": ("yura",),
    "aleksandr": ("shura", "sanya"),
    "grigory": ("grisha",),
    "pavel": ("pasha",),
    "boris": ("borya",),
    "vladimir": ("vova",),
    "tatiana": ("tanya",),
    "natalia": ("natasha",),
    "yekaterina": ("katya",),
    "svetlana": ("sveta",),
    "nadezhda": ("nadya",),
    "sofia": ("sonya",),
    # Arabic
    "ahmed": ("hamada",),
    "muhammad": ("hamada", "hamoudi", "mido", "mohd", "muhd", "mhd", "md"),  # and as written short
    "mahmoud": ("hamoudi",),
    "abdullah": ("abboud",),
}
"""Full name → hypocorisms, for those no package covers (in the spelling most common in Latin
letters; other spellings reach them through rigour's name variants)."""


@cache
def _table() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The nicknames package's and the table's full names of each nickname, and every given name
    the two know."""
    from nicknames import NickNamer

    namer = NickNamer()
    full_names: dict[str, set[str]] = {n: set(fulls) for n, fulls in namer.canonical_lookup.items()}
    for full, nicknames in HYPOCORISMS.items():
        for nickname in nicknames:
            full_names.setdefault(nickname, set()).add(full)
    known = set(namer.nickname_lookup) | set(full_names) | set(HYPOCORISMS) | _listed_given_names()
    return {n: frozenset(f) for n, f in full_names.items()}, frozenset(known)


def _listed_given_names() -> set[str]:
    """The given names of Faker's person providers, in plain small Latin letters."""
    import faker.providers.person as providers

    listed: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        provider = getattr(importlib.import_module(f"{providers.__name__}.{module.name}"), "Provider", None)
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names = getattr(provider, attribute, ())
            if isinstance(names, (tuple, list, dict, set, frozenset)):
                listed.update(_plain(str(n)) for n in names)
    listed.discard("")
    return listed


@cache
def arabic_skeletons() -> frozenset[str]:
    """The consonant skeletons (three letters or more) of the Arabic given and family names in
    Faker's Arabic-locale person providers, read by ICU: a Latin part with one of these is
    taken to be of Arabic origin (Shamr, Talib)."""
    import faker.providers.person as providers

    from gatewatch.core.name_forms import skeleton
    from gatewatch.core.name_scripts import icu_spellings

    found: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        if not module.name.startswith("ar_"):
            continue
        provider = getattr(importlib.import_module(f"{providers.__name__}.{module.name}"), "Provider", None)
        for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
            names = getattr(provider, attribute, ())
            if isinstance(names, (tuple, list, dict, set, frozenset)):
                for name in names:
                    for word in str(name).split():
                        found.update(skeleton(s).letters for s in icu_spellings(word, "arabic"))
    return frozenset(f for f in found if len(f) >= 3)


def _plain(name: str) -> str:
    """A one-word name in small Latin letters without accents, or ``""``."""
    letters = "".join(ch for ch in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(ch))
    return letters if letters.isascii() and letters.isalpha() else ""


@lru_cache(maxsize=65_536)
def full_names_of(part: str) -> frozenset[str]:
    """The part and the full names it is a nickname of (``peggy``: peggy, margaret, …)."""
    return frozenset({part}) | _table()[0].get(part, frozenset())


def is_given_name(part: str) -> bool:
    """Whether the nickname data knows the part as a given name or a nickname."""
    return part in _table()[1]
