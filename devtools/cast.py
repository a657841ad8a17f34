"""The people of the local workspace used by the demo and the tests."""

from __future__ import annotations

from dataclasses import dataclass

from devtools.local_slack import LocalSlack


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    tz: str
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False


MAYA = Person("UMAYA0001", "Maya", "America/New_York", is_admin=True)  # the manager
RAVI = Person("URAVI0002", "Ravi", "Asia/Kolkata")
ANA = Person("UANA00003", "Ana", "Europe/Berlin")
LEO = Person("ULEO00004", "Leo", "America/Los_Angeles")
NOOR = Person("UNOOR0005", "Noor", "Asia/Riyadh")  # works Sunday to Thursday
SAM = Person("USAM00006", "Sam", "America/New_York")
OMAR = Person("UOMAR0007", "Omar", "Europe/London")  # another manager
JULES = Person("UJULES010", "Jules", "Europe/Paris")
TOM = Person("UTOM00011", "Tom", "America/Chicago")
LIN = Person("ULIN00012", "Lin", "Asia/Singapore")
DEPLOYBOT = Person("UDEPLOY08", "deploybot", "America/Los_Angeles", is_bot=True)
GONE = Person("UGONE0009", "Former Colleague", "UTC", deleted=True)

EVERYONE = (MAYA, RAVI, ANA, LEO, NOOR, SAM, OMAR, JULES, TOM, LIN, DEPLOYBOT, GONE)


def seed(slack: LocalSlack) -> None:
    for person in EVERYONE:
        slack.add_user(
            person.user_id,
            person.name.lower().replace(" ", "."),
            real_name=person.name,
            tz=person.tz,
            is_bot=person.is_bot,
            deleted=person.deleted,
            is_admin=person.is_admin,
        )
