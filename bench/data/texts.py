"""What the generated suggestions say, and their grams for the similar-suggestion finder.

A suggestion raises a *matter*: a topic (``TOPICS``) at a place (a city, or one of its
districts), about a named site of the topic's kind (``SITES``: 丰林村通村公路, 宏泰小学
...; each place has ``SITES_PER_PLACE`` of each kind, named the same in every run) with
one of the topic's three details. Some suggestions raise again a matter of an earlier
session (多年提, ``REPEAT``), in other words; merged ones (并案) raise their main's matter
in other words too. The grams of each wording are computed once (``grams``).
"""

import random

from suggestions import similarity

from .tables import CITIES, DISTRICTS, SITES, SYLLABLES, TOPICS

SITES_PER_PLACE = 12
REPEAT = 0.05  # the share of suggestions raising a matter of an earlier session again
EARLIER = 1000  # matters kept per session to be raised again


class Texts:
    """Matters, their two wordings, and the grams of each, cached."""

    def __init__(self, rng: random.Random):
        self.random = rng.random
        self.sites: dict = {}
        self.grams_cache: dict = {}
        self.earlier: dict[int, list[tuple]] = {}  # session index -> matters raised in it

    def matter(self, k: int) -> tuple[tuple, bool]:
        """A matter for a suggestion of session ``k`` (0 the current one, 9 the oldest),
        and whether it was raised in an earlier session."""
        random_ = self.random
        if random_() < REPEAT:
            older = [j for j in self.earlier if j > k]
            if older:
                pool = self.earlier[older[int(random_() * len(older))]]
                return pool[int(random_() * len(pool))], True
        city = CITIES[int(random_() * len(CITIES))]
        place = city + DISTRICTS[int(random_() * len(DISTRICTS))] if random_() < 0.6 else city
        matter = (
            int(random_() * len(TOPICS)),
            city,
            place,
            int(random_() * SITES_PER_PLACE),
            int(random_() * 3),
        )
        pool = self.earlier.setdefault(k, [])
        if len(pool) < EARLIER:
            pool.append(matter)
        else:
            pool[int(random_() * EARLIER)] = matter
        return matter, False

    def site(self, matter: tuple) -> tuple[str, int]:
        """The matter's site's name and its number (for the detail's {n})."""
        topic, _city, place, index, _detail = matter
        key = (place, topic)
        names = self.sites.get(key)
        if names is None:
            # The same names for a place in every run and every process.
            rng = random.Random(f"{place}-{topic}")
            suffix = SITES[TOPICS[topic][1]][0]
            names = self.sites[key] = [
                (rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + suffix, rng.randint(2, 9))
                for _ in range(SITES_PER_PLACE)
            ]
        return names[index]

    def wording(self, matter: tuple, variant: int) -> tuple[str, str]:
        """The title and content: variant 0 as first raised, 1 as raised again (by another
        deputy, or in a later year): the same sentences in another frame and order."""
        topic_index, _city, place, _index, detail_index = matter
        _category, topic, problem, action = TOPICS[topic_index]
        site, n = self.site(matter)
        detail = SITES[topic][1][detail_index].format(n=n)
        if variant == 0:
            return (
                f"关于{place}{site}{topic}的建议",
                f"{place}{site}{problem}，{detail}，群众反映强烈。"
                f"建议{action}，切实解决群众急难愁盼问题。",
            )
        return (
            f"关于{place}{site}{topic}问题的建议",
            f"{detail}。{place}{site}{problem}。建议{action}。",
        )

    def grams(self, matter: tuple, variant: int, title: str, content: str) -> str:
        """``similarity.as_text(similarity.grams(title, content))`` of this wording."""
        key = (matter, variant)
        found = self.grams_cache.get(key)
        if found is None:
            found = self.grams_cache[key] = similarity.as_text(similarity.grams(title, content))
        return found
