"""Weak-supervision rules for the six intents: (weight, pattern) pairs over the cleaned text.

A weight is how sure one rule is on its own; ``experience`` combines the rules that fire with
a noisy-OR (1 - prod(1 - w)) and adds the sentiment score as one more rule. The rules and
weights were set by hand while reading the errors on the *dev* part of the random sample, and
extended once after the keyword-drawn sample for the rare intents (docs/experience.md).
"""

import re
from dataclasses import dataclass
from typing import Final

from cluetrain_analytics.text._patterns import word_union

__all__ = ["RULES", "SCANS", "Scan", "compile_rules"]

RULES: Final[dict[str, tuple[tuple[float, str], ...]]] = {
    "complain": (
        (
            0.75,
            r"\b(?:not|isn'?t|aren'?t|doesn'?t|don'?t|won'?t|wont|can'?t|cant|couldn'?t|"
            r"unable to|stopped)\s+(?:\w+\s+)?(?:work\w*|play\w*|load\w*|find|get|access|"
            r"sign|log|connect|listen|download|open|join|use|see|reach|receive|change)",
        ),
        (0.7, r"\bstill\b|\bagain\b|\bmade no difference\b|\bno luck\b|\bdidn'?t (?:help|work)"),
        (0.7, r"\b(?:problem|issue|error|bug|glitch|fault\w*)s?\b"),
        (
            0.75,
            r"\bworst\b|\bterrible\b|\bawful\b|\bhorrible\b|\bridiculous\b|\bdisgust\w*|"
            r"\bunacceptable\b|\bpathetic\b|\bjoke\b|\bsucks?\b|\brubbish\b|\bgarbage\b|"
            r"\bannoy\w*|\bdisappoint\w*|\bfrustrat\w*|\bfurious\b|\bnot happy\b|\bbs\b|"
            r"\bangry\b|\blivid\b|\bfuming\b|\bpissed\b|\bfed up\b|\bsick (?:and tired )?of\b",
        ),
        (0.6, r"\bfuck\w*|\bshit\w*|\bwtf\b|\btf\b|\bdamn\w*|\bhell\b|\bidiots?\b|\bfrig\b"),
        (
            0.6,
            r"\bwhy (?:is|are|isn'?t|aren'?t|does|doesn'?t|did|didn'?t|do|don'?t|can'?t|won'?t|"
            r"would|should|must|the|you|your|y'all|haven'?t)\b",
        ),
        (
            0.5,
            r"\bnobody\b|\bno one\b|\bh(?:ou)?rs?\b|\bdays?\b|\bweeks?\b|\bmonths?\b|\bwaiting\b",
        ),
        (
            0.6,
            r"\bdelay\w*|\blate\b|\bcancell?ed\b|\blost\b|\bmissing\b|\bnot (?:safe|good enough)\b|"
            r"\bsince the update\b|\bafter (?:the )?update\b|\bno more\b|\bhassle\b|"
            r"\bwant (?:a|my) refund\b|\bcrap\w*|\bstinks?\b",
        ),
        (0.55, r"\bkeeps?\s+\w+ing\b|\bevery (?:time|day)\b|\bconstantly\b|\banymore\b"),
        (0.5, r"\bwhat'?s going on\b|\bwhat is going on\b|\bwhat'?s happening\b|\bcome on\b"),
        (0.6, r"\btoo (?:bad|loud|slow|expensive)\b|\bpointless\b|\bembarrass\w*|\bsneaky\b"),
        (
            0.45,
            r"\bunfortunately\b|\bnope\b|\bnot (?:yet|fixed|resolved)\b|\bno\s+(?:one|response)|"
            r"\balready\b",
        ),
    ),
    "praise": (
        (0.85, r"\bthank(?:s|s?\s+you|ful|yo?u|u)?\b|\bthx\b|\bty\b|\bcheers\b|\bkudos\b"),
        (
            0.75,
            r"\blove\b|\bloving\b|\bgreat\b|\bawesome\b|\bamazing\b|\bexcellent\b|\bbest\b|"
            r"\bbrilliant\b|\bfantastic\b|\bperfect\w*|\bsuperb\b|\bappreciat\w*|\bwonderful\b",
        ),
        (
            0.7,
            r"\b(?:that|it)\s+(?:fixed|worked|works|did it)\b|\bworks now\b|\bback to normal\b|"
            r"\bsorted\b|\bresolved\b|\bfixed it\b|\brighted itself\b|\bworked out\b",
        ),
        (
            0.6,
            r"\bshout ?out\b|\bhelpful\b|\bnicely done\b|\bwell done\b|\bsmooth\w*|\bgood job\b|"
            r"\bcongrat\w*|\bfan for life\b|\bfanforlife\b|\bgreatservice\b|\bcares\b|"
            r"\b(?:so|very|totally|really|more than) happy\b|\bhappy with\b|\bcompliment\w*|"
            r"\bnailed\b",
        ),
        (0.5, r"\bcool\b|\bnice\b|\b(?:very|so|that'?s|how) kind\b|\bgood\b"),
        (0.45, r"[❤😍😀☺👌👍👏🙏💕💛😘]"),
    ),
    "ask": (
        (0.8, r"\?"),
        (
            0.6,
            r"^(?:how|what|why|when|where|who|which|can|will|is|are|do|does|did|"
            r"any|should|anyway|afraid)\b(?!')(?! have)",
        ),
        (
            0.75,
            r"\bplease\b|\bpls\b|\bplz\b|\bhelp me\b|\blet (?:me|us) know\b|\bcan you\b|"
            r"\bcould you\b|\bwould you\b|\bi need\b|\bi want to know\b|\bi would like\b|"
            r"\bif you could\b|\bcan (?:someone|anyone|somebody) help\b|"
            r"\bi (?:really )?want (?:a|my) (?:refund|replacement|answer|explanation)\b",
        ),
        (
            0.7,
            r"\bdm me\b|\bcheck (?:your |ur |the )?dm|\bany (?:update|luck|news)\b|"
            r"\bhope (?:you|they) (?:add|bring|can|could)|\bbring (?:it |this )?back\b|"
            r"\bneeds? to happen\b|\bneed to implement\b|\bwondering\b|\bquestions?\b",
        ),
        (
            0.55,
            r"^(?:how|what|where|when|why)\b|\bhow (?:do|can|to)\b|^fix\b|"
            r"\b(?:please|pls|plz|just|you|can you|could you) fix\b",
        ),
    ),
    "recommend": (
        # "would you recommend?" asks, and Spotify's "recommended tracks" are no advocacy.
        (
            0.85,
            r"\b(?:i'?d|i|we|we'?d|highly|definitely|totally|strongly|will)\s+(?:\w+\s+)?"
            r"recommend\b(?! (?:\w+ )?not\b| is\b| that you\b)|"
            r"\bwould (?:definitely |totally |highly )?recommend\b(?! is\b| that you\b)|"
            r"\brecommend(?:ed)? (?:it|them|\w+) to (?:my |all |every|friends|family|anyone|"
            r"others|people)|\bswear by\b|\bmust[- ]have\b",
        ),
        (
            0.7,
            r"\byou (?:should|guys should|all should|need to) (?:try|get|check out|switch to)\b|"
            r"\bgo (?:get|buy) (?:one|it|them)\b|\bcan'?t go wrong\b|\bbest \w+ ever\b",
        ),
    ),
    "threaten_to_leave": (
        (
            0.8,
            r"\b(?<!tried to )(?<!try to )(?<!trying to )switch(?:ing)? (?:to|over to)\b"
            r"(?! (?:mobile|wifi|data|4g|3g|web|the app|desktop))|"
            r"\bcancel\w* (?:my|our|the|all|your) (?:\w+ )?(?:account|subscription|membership|plan|"
            r"premium|service|contract|card|visa|prime|hulu|netflix|spotify)\b|"
            r"\bditch(?:ing)?\b|\bunsubscrib\w*|"
            r"\bclose my account\b|\btake my (?:business|money)\b|\bgo(?:ing)? elsewhere\b",
        ),
        (
            0.75,
            r"\bconsider(?:ing)? (?:switching|cancel\w*|leaving|ditching|moving)|"
            r"\bnever (?:again|fly\w*|use|shop\w*|buy\w*|order\w*)\b|\bnot shop with you\b|"
            r"\bdone with\b|\blook(?:ing)? (?:at|for) (?:a )?(?:new|other|another) \w+|"
            r"\bi'?m (?:leaving|out)\b|\bbye\b|\blast time i\b|\bgoodbye\b|\badios\b|"
            r"\b(?:won'?t|will not) be (?:back|returning|using|recommending)\b|"
            r"\bnot (?:so )?sure (?:i )?will (?:try|use|come back)\b",
        ),
        (
            # Added after the unseen sample's dev part and the examples.
            0.8,
            r"\bcancell?ing (?:if|unless|when|my|our|it|this)\b(?! \w* ?order)|"
            r"\b(?:i'?ll|i will|i'?m going to|gonna|going to|about to|ready to) "
            r"(?:cancel|leave|switch)\b(?! (?:my |the |this |an |that )?order)|"
            r"\bmy (?:custom|business|money) (?:will|is going to) (?:be|go)\b",
        ),
    ),
    "intend_to_buy": (
        (
            0.8,
            r"\b(?:want|wanted|wanna|going|plan(?:ning)?|thinking(?: of| about)?|looking|about|"
            r"hoping|would like|trying) to (?:buy|order|book|purchase|upgrade|subscribe)\b|"
            r"\b(?:want|wanted|wanna|going|planning|hoping|would like) to get\b|"
            r"\bif i (?:buy|order|purchase|book)\b|\b(?:a way|where|how) (?:to|can i|do i) "
            r"(?:buy|purchase|order)\b|\bhave to buy\b|"
            r"\bthinking (?:of|about) (?:buying|getting|ordering|booking)\b|\bpre-?orders?\b|"
            r"\bin the market for\b|\bsell me\b|\bworth (?:it|buying)\b|"
            r"\bwhere can i (?:buy|get)\b",
        ),
        (
            0.6,
            r"\bwas looking for\b|\bgeneral sale\b|\bneed (?:\w+ )?in my life\b|"
            r"\bhow much (?:is|does|for)\b|"
            r"\bin stock\b|\bmake the switch\b|\bwhat (?:do i|should i) wear\b|\bgetting one\b",
        ),
        (
            0.6,
            r"\b(?:couldn'?t|can'?t|cannot|unable to) "
            r"(?:subscribe|buy|order|purchase|book|pay for)\b|"
            r"\b(?:do|does) (?:you|u) (?:offer|sell|stock|do)\b|\bcomprar\b|"
            r"\bwhen (?:are|will) (?:you|u) (?:be )?(?:getting|get|stock\w*|restock\w*|selling)\b",
        ),
    ),
}


#: Intents scanned in one pass: their rules seldom match at the same word (a match hides
#: the others that start there), and one pass over a message is cheaper than several.
SCANS: Final = (
    ("complain",),
    ("praise", "ask"),
    ("recommend", "threaten_to_leave", "intend_to_buy"),
)


@dataclass(frozen=True)
class Scan:
    """One pattern with a named group ``r<i>`` per rule; ``rules[i]`` is (intent, weight)."""

    pattern: re.Pattern[str]
    rules: tuple[tuple[str, float], ...]
    #: The scan runs only on texts that contain this (None: always).
    needs: str | None = None
    #: The scan runs only on texts with a character outside ASCII (emoji).
    non_ascii: bool = False


def compile_rules() -> list[Scan]:
    """The scans over a cleaned message: word-initial rules grouped as in :data:`SCANS`, then
    one scan per other rule ("?" and emoji), each with a cheap gate."""
    scans = []
    for intents in SCANS:
        rules = [
            (intent, weight, body)
            for intent in intents
            for weight, body in RULES[intent]
            if body.startswith(("\\b", "^"))
        ]
        scans.append(
            Scan(
                pattern=word_union([body for _, _, body in rules], prefix="r"),
                rules=tuple((intent, weight) for intent, weight, _ in rules),
            )
        )
    for intent, rules_of_intent in RULES.items():
        for weight, body in rules_of_intent:
            if not body.startswith(("\\b", "^")):
                scans.append(
                    Scan(
                        pattern=re.compile(f"(?P<r0>{body})"),
                        rules=((intent, weight),),
                        needs="?" if body == "\\?" else None,
                        non_ascii=body != "\\?",
                    )
                )
    return scans
