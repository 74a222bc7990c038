"""The typed model of a network's config file (field names are the contract of DOMAIN.md).

The models check shapes and single values (types, patterns, lengths, allowed words). Rules that
relate several places of the file - references, duplicates, page-title collisions - live in
``rules.py`` so that they can run even where part of the file failed these checks.

Every field has a description: ``confluence-sync schema`` turns these models into the JSON Schema
that editors use for completion and hover help, so the descriptions are user documentation.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Annotated, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

Language = Literal["de", "en"]
Visibility = Literal["members", "network"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# Deliberately loose: the file is checked before anything is sent, and a stricter pattern would
# reject real addresses. What it catches: missing '@', spaces, a domain without a dot.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_SPACE_NAME = 200  # Confluence refuses longer space names
MAX_SPACE_KEY = 255

# Lengths (in characters) of what the file may say; Confluence refuses what is larger, or a
# page made of it would pass its 5 MB body limit (5,242,880 bytes: confluence-api.md §10.2,
# cloud-v1/v2 "413"; our local wiki's web/app.py MAX_BODY). Where the number comes from:
# * MAX_LINE 255: a one-line text (a name, a city, a role, an agenda item, an account) is at
#   most what Confluence's own one-line fields take: a page title, a label, a property key
#   (255: cloud-v1.json ContentCreate.title maxLength, wanted/labels.py, localwiki store/meta.py);
#   an organisation's name becomes a page title too ("Treffen bei <name>");
# * MAX_EMAIL 254: the longest address SMTP can carry (RFC 5321 §4.5.3.1.3: a path of 256
#   octets including the angle brackets);
# * MAX_URL 2,048: the longest link every common browser and server takes (the sitemaps.org
#   protocol's limit), far beyond a real website or meeting link;
# * MAX_PARAGRAPH 2,000: a network's description and a group's purpose are "one or two
#   sentences" on a home page and become the space description; Confluence documents no limit
#   for that, so ours keeps the hub home page, which lists every group's purpose, small.
# Whole pages are bounded by ``page_sizes``: a page aggregates many of these (the directory
# lists every organisation), so only their sum can be checked against the body limit.
MAX_LINE = 255
MAX_EMAIL = 254
MAX_URL = 2048
MAX_PARAGRAPH = 2000

NonEmpty = Annotated[str, Field(min_length=1, max_length=MAX_LINE)]
Line = Annotated[str, Field(max_length=MAX_LINE)]
Paragraph = Annotated[str, Field(max_length=MAX_PARAGRAPH)]
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
URL_PATTERN = r"^https?://\S+$"


def _clock_time(value: object) -> str:
    """A time of day as ``HH:MM``. YAML 1.1 reads an unquoted ``14:00`` as the number 840
    (base 60), so a number gets a message saying how to write it, never a wrong time."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        hours, minutes = divmod(value, 60)
        raise ValueError(
            f'write the time in quotes, "{hours:02d}:{minutes:02d}": unquoted, YAML reads '
            f"it as the number {value}"
        )
    found = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        raise ValueError('a time of day, "HH:MM" (24-hour clock, in quotes)')
    return f"{int(found[1]):02d}:{found[2]}"


ClockTime = Annotated[str, BeforeValidator(_clock_time)]
MEETING_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Times(BaseModel):
    """Start and end time and the online link, shared by a meeting and a schedule."""

    start_time: ClockTime | None = Field(
        None, description='Start time, "HH:MM" in quotes, e.g. "14:00".'
    )
    end_time: ClockTime | None = Field(
        None, description='End time, "HH:MM" in quotes; needs start_time and comes after it.'
    )
    online: str | None = Field(
        None,
        pattern=URL_PATTERN,
        max_length=MAX_URL,
        description="Link to join online (http:// or https://), e.g. a video call.",
    )

    @model_validator(mode="after")
    def _end_after_start(self) -> _Times:
        if self.end_time is not None and self.start_time is None:
            raise ValueError("end_time needs a start_time")
        if self.end_time is not None and self.start_time and self.end_time <= self.start_time:
            raise ValueError(f"end_time {self.end_time} is not after start_time {self.start_time}")
        return self


class _Model(BaseModel):
    """Shared settings: unknown fields are errors (they are usually typos), values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Admin(_Model):
    """A wiki account that administers every space of the network."""

    account: NonEmpty = Field(
        description="Wiki account: a Cloud accountId or a Data Center username."
    )
    name: Line = Field("", description="Who this is, for people reading the file.")


DEFAULT_ZONE: Final = "Europe/Berlin"  # where the model network (Bremen) meets


class Network(_Model):
    """The network itself; its key is the hub space key and the prefix of every space key."""

    key: NonEmpty = Field(
        description="ASCII capital letters and digits; the hub space key and the prefix of "
        "every working group's space key, e.g. PUU.",
        examples=["PUU"],
    )
    name: NonEmpty = Field(
        description="Name of the network; also the hub space's name (at most 200 characters)."
    )
    language: Language = Field("de", description="Language of every generated page: de or en.")
    description: Paragraph = Field(
        "", description="One or two sentences shown on the hub home page (≤ 2000 chars)."
    )
    admins: list[Admin] = Field(
        default_factory=list, description="Wiki accounts that administer every space."
    )
    time_zone: str = Field(
        DEFAULT_ZONE,
        max_length=MAX_LINE,
        description="Time zone of the meetings' start and end times, an IANA name such as "
        "Europe/Berlin (the default) or Europe/Vienna; the meetings calendar gives every time "
        "in it, and without --today the commands work on today's date there.",
        examples=["Europe/Berlin"],
    )
    templates: str | None = Field(
        None,
        min_length=1,
        max_length=4096,  # PATH_MAX on Linux
        description="Optional folder of your own page templates, relative to this file (one "
        "sub-folder per language, e.g. templates/de/meeting.j2); a page you do not override "
        "uses the built-in template. Custom templates run sandboxed.",
        examples=["templates"],
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # The IANA database (tzdata) decides: a name it lacks would give the calendar
        # times in no zone at all, so it is refused here, with an example of one it has.
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}: an IANA name such as Europe/Berlin"
            ) from None
        return value


class Contact(_Model):
    """A person at a member organisation."""

    name: NonEmpty = Field(description="Full name.")
    email: str = Field(
        pattern=EMAIL_PATTERN,
        max_length=MAX_EMAIL,
        description="E-mail address; unique in the network. Working groups name their lead by it.",
    )
    role: Line = Field("", description="Role in the organisation, e.g. Umweltmanagement.")
    account: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_LINE,
        description="Optional wiki account (Cloud accountId or Data Center username). Without "
        "it the contact is listed in the directories but gets no access.",
    )
    phone: Line | None = Field(None, description="Optional phone number for the directory.")


class Organisation(_Model):
    """A member organisation (company, institution) of the network."""

    id: str = Field(
        pattern=SLUG_PATTERN,
        max_length=MAX_LINE,
        description="Short unique slug (lower-case letters, digits, dashes), e.g. hansa-flex; "
        "working groups and meetings refer to the organisation by it.",
    )
    name: NonEmpty = Field(description="Full name, e.g. HANSA-FLEX AG.")
    sector: Line = Field("", description="Industry or sector, for the member directory.")
    city: Line = Field("", description="City of the site, for the member directory.")
    address: Line | None = Field(None, description="Optional street address of the site.")
    website: str | None = Field(
        None,
        pattern=URL_PATTERN,
        max_length=MAX_URL,
        description="Optional website (http:// or https://).",
    )
    contacts: list[Contact] = Field(
        default_factory=list, description="People at this organisation."
    )


class Schedule(_Model, _Times):
    """Rule that generates upcoming meetings.

    Date rule: a generated meeting falls on the ``week``-th ``weekday`` of each listed month
    (week -1 = the last one); by default the second Thursday.
    """

    months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        min_length=1,
        max_length=12,
        description="Months (1-12) in which the group meets, e.g. [3, 9].",
    )
    per_year: int | None = Field(
        None,
        ge=1,
        le=12,
        description="Meetings per year; if given it must equal the number of months.",
    )
    weekday: Weekday = Field("thu", description="Weekday of generated meetings.")
    week: Literal[1, 2, 3, 4, -1] = Field(
        2, description="Which of that weekday in the month: 1-4, or -1 for the last one."
    )
    rotate_hosts: bool = Field(
        True,
        description="Hosts rotate through the member organisations in list order. Without "
        "rotation the lead's organisation hosts (or the first member).",
    )
    horizon: int = Field(
        2, ge=1, le=24, description="How many upcoming meetings to keep provisioned."
    )
    start: dt.date | None = Field(
        None,
        description="Optional first meeting month of the rotation (YYYY-MM-DD; only year and "
        "month count): the meeting of that month is hosted by the first member, or by the "
        "one after the host of the last explicit meeting between this month and the first "
        "slot (a kick-off). Without it the rotation counts from January 2000, so it never "
        "depends on the day of the run.",
    )


class Meeting(_Model, _Times):
    """An explicit meeting; it replaces a generated meeting of the same month."""

    id: str | None = Field(
        None,
        pattern=MEETING_ID_PATTERN,
        max_length=40,
        description="Optional stable name of this meeting's page, e.g. kickoff (lower-case "
        "letters, digits, hyphens). With it the meeting may move to any date, another month "
        "too, and keeps its page and the minutes members wrote there. Without it the meeting "
        "takes the page of its schedule slot (a schedule month), else the page of its month.",
    )

    date: dt.date = Field(description="Date of the meeting, YYYY-MM-DD.")
    host: NonEmpty = Field(description="Id of the hosting organisation; must be a member.")
    title: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_LINE,
        description="Title; the page is called 'YYYY-MM-DD <title>'. Default: 'Treffen bei "
        "<host>' / 'Meeting at <host>'.",
    )
    agenda: list[NonEmpty] = Field(default_factory=list, description="Agenda items.")
    place: Line | None = Field(
        None, description="Where exactly (site, address, room); default: the host's city."
    )


class WorkingGroup(_Model):
    """A working group (Arbeitskreis); it gets its own space, keyed network key + group key."""

    key: NonEmpty = Field(
        description="ASCII capital letters and digits; space key = network key + this key.",
        examples=["UPX"],
    )
    name: NonEmpty = Field(description="Name of the group; also its space name (≤ 200 chars).")
    purpose: Paragraph = Field(
        "", description="What the group is for; shown on its home page (≤ 2000 chars)."
    )
    lead: str = Field(
        max_length=MAX_EMAIL, description="E-mail address of the contact who leads the group."
    )
    members: list[NonEmpty] = Field(
        min_length=1, description="Ids of the member organisations, in rotation order."
    )
    topics: list[NonEmpty] = Field(
        default_factory=list, description="Topics; they also become page labels."
    )
    visibility: Visibility = Field(
        "members",
        description="members: only contacts of member organisations see the space; network: "
        "every network contact may also read it.",
    )
    schedule: Schedule | None = Field(
        None, description="Optional rule that generates upcoming meetings."
    )
    meetings: list[Meeting] = Field(
        default_factory=list,
        description="Explicit meetings, past and future; one per month at most.",
    )


class NetworkConfig(_Model):
    """A whole network: the single source the wiki is kept in line with."""

    model_config = ConfigDict(
        title="confluence-sync network config",
        json_schema_extra={
            "description": "One regional business network: organisations, contacts, working "
            "groups and meetings. Connection settings never go in this file."
        },
    )

    network: Network = Field(description="The network: key, name, language, admins.")
    organisations: list[Organisation] = Field(
        default_factory=list, description="Member organisations and their contacts."
    )
    working_groups: list[WorkingGroup] = Field(
        default_factory=list, description="Working groups; each gets its own space."
    )

    def organisation(self, organisation_id: str) -> Organisation | None:
        """The organisation with this id, if any."""
        for organisation in self.organisations:
            if organisation.id == organisation_id:
                return organisation
        return None

    def contact(self, email: str) -> Contact | None:
        """The contact with this e-mail address (case-insensitive), if any."""
        wanted = email.casefold()
        for organisation in self.organisations:
            for contact in organisation.contacts:
                if contact.email.casefold() == wanted:
                    return contact
        return None

    def accounts(self) -> list[str]:
        """Every wiki account the config names (admins and contacts), sorted."""
        named = {admin.account for admin in self.network.admins}
        named |= {c.account for o in self.organisations for c in o.contacts if c.account}
        return sorted(named)

    def organisation_of(self, email: str) -> Organisation | None:
        """The organisation a contact (by e-mail) belongs to, if any."""
        wanted = email.casefold()
        for organisation in self.organisations:
            if any(contact.email.casefold() == wanted for contact in organisation.contacts):
                return organisation
        return None


def hub_space_key(network: Network) -> str:
    """The key of the network's hub space: the network key itself, e.g. PUU."""
    return network.key


def space_key(network: Network, group: WorkingGroup) -> str:
    """The space key of a working group: network key + group key, e.g. PUU + UPX = PUUUPX."""
    return network.key + group.key
