"""Keyword baseline: facet cue lexicons in English and French.

Each facet has hand-written cue patterns (regular expressions over lower-cased,
accent-stripped text), written from the OPSI facet definitions — not tuned on
the labelled set — with a weight of 1 (a hint) to 3 (a strong marker). A text's
score for a facet is the sum of the weights of the distinct cues it contains;
the probabilities are the smoothed, normalised scores. It needs no training,
so it is the floor any learned model has to beat (see ``evaluate.py``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FACETS = ("enh", "mis", "ada", "ant")

# (pattern, weight). Patterns match on normalise(text): lower case, no accents,
# typographic apostrophes replaced by "'". \b anchors are added around each.
LEXICONS: dict[str, dict[str, list[tuple[str, int]]]] = {
    "en": {
        "enh": [
            (r"improv\w*", 2),
            (r"streamlin\w*", 3),
            (r"simplif\w*", 2),
            (r"more efficient\w*|efficiency|efficiencies", 3),
            (r"faster|quicker|speed(?:s|ed)? up", 2),
            (r"waiting times?|processing times?|turnaround|backlogs?|queues?", 2),
            (r"digiti[sz]\w*|automat\w*|online forms?|paper(?:-based| forms?)?", 2),
            (r"replac\w*|upgrad\w*|moderni[sz]\w*|optimi[sz]\w*", 2),
            (r"existing (?:service|process|system)s?", 3),
            (r"(?:reduce|cut)s? (?:costs?|errors?|delays?)", 2),
            (r"proven|best practice|roll(?:ed|s|ing)? out|standardi[sz]\w*", 2),
            (r"user satisfaction|customer service|self-service", 1),
        ],
        "mis": [
            (r"by 20[23]\d", 3),
            (r"targets?|goals?", 2),
            (r"mission\w*|moonshots?", 3),
            (r"ambiti\w*", 2),
            (r"net[- ]zero|carbon[- ]neutral\w*|zero (?:emissions?|deaths?|waste)", 3),
            (r"eliminat\w*|eradicat\w*|end(?:ing)? (?:homelessness|poverty|hunger)", 3),
            (r"halve|halving|double|doubling|\d+ ?(?:%|per ?cent)", 2),
            (r"national (?:strategy|plan|programme|program)|roadmaps?|milestones?", 2),
            (r"government-wide|cross-government|whole[- ]of[- ]government", 3),
            (r"ministers?|minist(?:ry|ries)|prime minister|mayor|cabinet", 1),
            (r"commit\w*|pledg\w*|mandat\w*|directive", 1),
            (r"coalition|mobilis\w*|mobiliz\w*|all (?:agencies|departments)", 2),
        ],
        "ada": [
            (r"noticed|realised|realized|observed|spotted", 3),
            (r"began|started (?:to|testing|trying)|set up", 2),
            (r"tried|trying|tested|testing|trial and error|experiment\w*", 2),
            (r"frontline|front-line|on the ground|caseworkers?|care workers?|nurses?", 3),
            (r"informal\w*|bottom-up|grassroots|own initiative|improvis\w*", 3),
            (r"adapt\w*|adjust\w*|iterat\w*|rework\w*|revis\w*", 2),
            (r"new needs?|changing|changed|shift(?:ed|ing)? in|no longer", 2),
            (r"after (?:the )?(?:floods?|pandemic|crisis|heatwaves?|closures?|arrival)", 2),
            (r"pandemic|refugees?|asylum|migrants?|heatwaves?|floods?", 1),
            (r"volunteers?|neighbourhood|community|residents", 1),
            (r"without (?:a )?(?:mandate|programme|program|plan|budget)", 3),
            (r"workarounds?|unexpected|unforeseen", 2),
        ],
        "ant": [
            (r"futures?|foresight|horizon[- ]scanning", 3),
            (r"scenarios?|speculat\w*|what if", 3),
            (r"emerging (?:technolog\w*|risks?|possibilit\w*)|weak signals?", 3),
            (r"uncertain\w*|unknowns?|long[- ]term", 2),
            (r"20[4-9]0s?", 2),
            (r"artificial intelligence|\bai\b|machine learning|quantum|blockchain", 2),
            (r"autonomous|drones?|synthetic biology|gene editing|robots?", 2),
            (r"sandbox\w*|prototyp\w*|explor\w*|probe\w*", 2),
            (r"anticipat\w*|prepar\w* for|readiness", 2),
            (r"trends?|signals?|disrupt\w*", 1),
            (r"could (?:change|become|reshape|transform)|might (?:change|become|need)", 2),
            (r"labs?|research|pilot(?:s|ing)? (?:of|with) (?:new|novel)", 1),
        ],
    },
    "fr": {
        "enh": [
            (r"amelior\w*", 2),
            (r"simplifi\w*|rationalis\w*|optimis\w*", 2),
            (r"efficac\w*|efficien\w*", 3),
            (r"plus rapide\w*|accelere\w*|accelerer", 2),
            (r"delais?|temps d'attente|files? d'attente|traitement des (?:demandes|dossiers)", 2),
            (r"numeris\w*|dematerialis\w*|automatis\w*|formulaires? en ligne", 2),
            (r"remplac\w*|modernis\w*|mise a niveau", 2),
            (r"(?:service|processus|systeme|dispositif)s? existants?", 3),
            (r"reduire (?:les )?(?:couts|erreurs|delais)", 2),
            (r"eprouve\w*|bonnes pratiques|generalis\w*|standardis\w*|deploie\w*", 2),
            (r"satisfaction des usagers|guichet unique|libre-service", 1),
        ],
        "mis": [
            (r"d'ici (?:a )?20[23]\d|d'ici la fin", 3),
            (r"objectifs?|cibles?", 2),
            (r"missions?", 3),
            (r"ambiti\w*", 2),
            (r"neutralite carbone|zero (?:emission|deces|dechet|sans-abri|carbone)\w*", 3),
            (r"elimin\w*|eradiqu\w*|mettre fin|en finir", 3),
            (r"de moitie|diviser par|doubler|\d+ ?%", 2),
            (r"strategie nationale|plan national|feuille de route|jalons?", 2),
            (r"interministeriel\w*|l'ensemble du gouvernement|tous les ministeres", 3),
            (r"ministres?|ministeres?|premier ministre|maire|gouvernement", 1),
            (r"engag\w*|mandat\w*|directive", 1),
            (r"coalition|mobilis\w*", 2),
        ],
        "ada": [
            (r"ont remarque|ont constate|se sont apercu\w*|ont observe|ont realise", 3),
            (r"ont commence|se sont mis\w* a|ont mis en place", 2),
            (r"ont essaye|ont teste|essais? et erreurs?|experiment\w*|tatonn\w*", 2),
            (r"premiere ligne|sur le terrain|intervenant\w*|travailleu\w* soci\w*|infirmi\w*", 3),
            (r"informel\w*|de leur propre initiative|ascendant\w*|improvis\w*|bricol\w*", 3),
            (r"adapt\w*|ajust\w*|iter\w*|revis\w*|remani\w*", 2),
            (r"nouveaux besoins|nouvelles? realites?|evolu\w*|ne (?:pouvaient|peuvent) plus", 2),
            (r"apres (?:les? |la )?"
             r"(?:inondations?|pandemie|crise|canicules?|fermetures?|arrivee)", 2),
            (r"pandemie|refugies?|demandeurs d'asile|migrants?|canicules?|inondations?", 1),
            (r"benevoles?|quartiers?|communaut\w*|habitants", 1),
            (r"sans (?:mandat|programme|cadre|plan|budget)", 3),
            (r"imprevu\w*|inattendu\w*|contournement", 2),
        ],
        "ant": [
            (r"futurs?|avenir|prospective|veille", 3),
            (r"scenarios?|speculati\w*|et si", 3),
            (r"technologies? emergentes?|risques? emergents?|signaux faibles", 3),
            (r"incertain\w*|long terme", 2),
            (r"(?:horizon |a l'horizon )?20[4-9]0", 2),
            (r"intelligence artificielle|\bia\b|apprentissage automatique"
             r"|quantique|chaine de blocs", 2),
            (r"autonomes?|drones?|biologie de synthese|robots?", 2),
            (r"bac a sable|prototyp\w*|explor\w*", 2),
            (r"anticip\w*|se preparer|preparation", 2),
            (r"tendances?|signaux|disrupt\w*|rupture\w*", 1),
            (r"pourrai\w* (?:changer|devenir|transformer)", 2),
            (r"laboratoires?|recherche", 1),
        ],
    },
}

SMOOTHING = 0.5  # added to every facet's score before normalising


def normalise(text: str) -> str:
    """Lower case, accents stripped, typographic apostrophes and dashes made plain."""
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("‑", "-")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[tuple[re.Pattern[str], int, str]]]:
    compiled: dict[str, list[tuple[re.Pattern[str], int, str]]] = {f: [] for f in FACETS}
    for lang, lexicon in LEXICONS.items():
        for facet, cues in lexicon.items():
            for pattern, weight in cues:
                compiled[facet].append(
                    (re.compile(rf"\b(?:{pattern})\b"), weight, f"{lang}:{pattern}")
                )
    return compiled


def cues_found(text: str) -> dict[str, list[str]]:
    """The matched words per facet, as they appear in the normalised text."""
    norm = normalise(text)
    found: dict[str, list[str]] = {facet: [] for facet in FACETS}
    for facet, cues in _compiled().items():
        for regex, _weight, _name in cues:
            match = regex.search(norm)
            if match:
                found[facet].append(match.group(0))
    return found


def scores(text: str) -> dict[str, float]:
    """Sum of the weights of the distinct cues of each facet found in ``text``."""
    norm = normalise(text)
    return {
        facet: float(sum(weight for regex, weight, _ in cues if regex.search(norm)))
        for facet, cues in _compiled().items()
    }


def predict_proba(text: str) -> dict[str, float]:
    """Smoothed, normalised cue scores: four probabilities summing to 1."""
    raw = scores(text)
    total = sum(raw.values()) + SMOOTHING * len(FACETS)
    return {facet: (raw[facet] + SMOOTHING) / total for facet in FACETS}


def predict(text: str) -> str:
    """The facet with the highest score; ties go to the first in FACETS order."""
    raw = scores(text)
    return max(FACETS, key=lambda facet: raw[facet])
