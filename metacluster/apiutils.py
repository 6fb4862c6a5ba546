"""What every API router shares: authentication, the one error shape, ids, lookups and pages.

Every 4xx answer has the same body::

    {"error": "A human message.", "fields": {"date": ["A delivery cannot be ..."]}}

``fields`` is left out when the problem is not about particular input fields. Routers raise
ordinary exceptions (``Http404``, ``PermissionDenied``, Django's ``ValidationError`` from
``full_clean()``, ``StaleEdit``, ``DefinitionError``); `MetaclusterAPI` turns them into that
shape, so a view never builds an error response by hand.
"""

import re
import zoneinfo
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)

from metacluster import audit
from metacluster.accounts.access import ACT_FOR_OTHERS_REFUSED, may_act_for
from metacluster.accounts.models import ApiToken, Organisation, hash_key
from metacluster.countries import countries
from metacluster.programmes.definitions import DefinitionError
from metacluster.versioning import StaleEdit

# Primary keys are 64-bit; a larger number cannot name a record and would overflow the
# database driver, so it is refused as malformed input (400) before any query runs.
MAX_ID = 2**63 - 1
MAX_LIMIT = 500
MAX_OFFSET = 10**9

ERROR_STATUSES = frozenset({400, 401, 403, 404, 409})
T = TypeVar("T")


# --- The error shape ---------------------------------------------------------------------------


class ErrorOut(Schema):
    error: str = Field(..., description="What went wrong, for a person to read.")
    fields: dict[str, list[str]] | None = Field(
        None, description="Messages per input field, when the problem is with given fields."
    )


def responses(schema: Any, status: int = 200) -> dict:
    """The `response=` of an operation: its success schema and the error shape for 4xx."""
    return {status: schema, ERROR_STATUSES: ErrorOut}


def refused_when(*rules: str) -> dict:
    """The `openapi_extra=` of an operation whose input can match the schema and still be
    refused (400) by a rule the schema cannot express: such as a date inside the programme's
    period, or a record that exists. Each rule names the field the error is reported on."""
    lines = "\n".join(f"- {rule}" for rule in rules)
    description = (
        "Bad Request: the input does not match the schema, or it does but one of these rules "
        f"refuses it (the error's `fields` names the field):\n\n{lines}"
    )
    return {"responses": {400: {"description": description}}}


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, message: str, fields: dict | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"error": str(message)}
    if fields:
        body["fields"] = {name: [str(m) for m in messages] for name, messages in fields.items()}
    return api.create_response(request, body, status=status)


def field_errors(error: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    """Django's ValidationError as (message, fields): errors not tied to a field (e.g. a
    uniqueness or constraint check) become the message."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages), {}
    fields = {name: list(messages) for name, messages in error.message_dict.items()}
    general = fields.pop(NON_FIELD_ERRORS, [])
    if general:
        return " ".join(general), fields
    return _("Some fields are not valid."), fields


def _location(loc: Iterable) -> str:
    # ninja reports ("body", "payload", "companies", 2) or ("query", "limit"): drop the source
    # and the name of the body argument, keep the path inside the input as "companies.2".
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source, parts = parts[0], parts[1:]
        if source == "body" and parts and parts[0] == "payload":
            parts = parts[1:]
        if not parts:
            return source
    return ".".join(parts)


def _on_ninja_validation(api, request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        message = error.get("msg", "Not valid.")
        # pydantic prefixes custom validator messages with "Value error, ".
        message = message.removeprefix("Value error, ")
        fields.setdefault(_location(error.get("loc", ())), []).append(message)
    return error_response(api, request, 400, _("The request is not valid."), fields)


def _on_django_validation(api, request, exc: DjangoValidationError):
    message, fields = field_errors(exc)
    return error_response(api, request, 400, message, fields)


def _on_definition(api, request, exc: DefinitionError):
    return error_response(
        api, request, 400, _("The indicator definition is not valid."), {"definition": [str(exc)]}
    )


def _on_stale(api, request, exc: StaleEdit):
    return error_response(api, request, 409, str(exc), getattr(exc, "fields", None))


def _on_not_found(api, request, exc: Http404):
    return error_response(api, request, 404, str(exc) or _("Not found."))


def _on_permission(api, request, exc: PermissionDenied):
    return error_response(
        api, request, 403, str(exc) or _("You do not have permission to do this.")
    )


def _on_authentication(api, request, exc: AuthenticationError):
    message = exc.message
    if message == "Unauthorized":  # ninja's default says nothing about how to authenticate
        message = _("Log in, or send an API token as “Authorization: Bearer <key>”.")
    response = error_response(api, request, 401, message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _on_http_error(api, request, exc: HttpError):
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        # ninja's message for a body that is not JSON at all.
        return error_response(
            api, request, 400, _("The request body is not valid JSON."), {"body": [exc.message]}
        )
    if exc.status_code == 403 and exc.message == "CSRF check Failed":
        # Session (browser) requests that change data must carry the CSRF token.
        return error_response(
            api,
            request,
            403,
            _("CSRF check failed: send the csrftoken cookie's value as the X-CSRFToken header."),
        )
    return error_response(api, request, exc.status_code, exc.message)


def _on_integrity(api, request, exc: IntegrityError):
    # Validation runs first, so this is a race with another request saving the same thing.
    return error_response(
        api, request, 409, _("This conflicts with a record saved at the same moment; try again.")
    )


class OneValueParser(Parser):
    """ninja's parser, except that a query parameter that takes one value but is given more
    than once is passed on as the list of its values, which validation refuses (400), rather
    than silently reduced to the last one."""

    def parse_querydict(self, data, list_fields, request):
        return {
            key: data.getlist(key)
            if key in list_fields or len(data.getlist(key)) > 1
            else data[key]
            for key in data
        }


class MetaclusterAPI(NinjaAPI):
    """A NinjaAPI that answers every 4xx with the one error shape, including unknown paths
    (404) and wrong methods (405), which ninja and Django would otherwise answer in HTML or
    plain text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("parser", OneValueParser())
        super().__init__(**kwargs)
        handlers = {
            NinjaValidationError: _on_ninja_validation,
            DjangoValidationError: _on_django_validation,
            DefinitionError: _on_definition,
            StaleEdit: _on_stale,
            Http404: _on_not_found,
            PermissionDenied: _on_permission,
            AuthenticationError: _on_authentication,
            HttpError: _on_http_error,
            IntegrityError: _on_integrity,
        }
        for exc_class, handler in handlers.items():
            self.add_exception_handler(exc_class, _bind(handler, self))

    def _get_urls(self):
        urls = [_with_json_405(self, pattern) for pattern in super()._get_urls()]

        def unknown_path(request: HttpRequest, path: str) -> HttpResponse:
            return error_response(self, request, 404, _("There is no such API endpoint."))

        unknown_path.csrf_exempt = True
        # [\s\S], not ".": a path may hold an encoded newline (%0A), which "." does not match.
        urls.append(re_path(r"^(?P<path>[\s\S]+)$", unknown_path))
        return urls


def _bind(handler: Callable, api: NinjaAPI) -> Callable:
    def bound(request, exc):
        return handler(api, request, exc)

    return bound


def _with_json_405(api: NinjaAPI, pattern):
    if not isinstance(pattern, URLPattern):
        return pattern
    view = pattern.callback

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(
                api,
                request,
                405,
                _("This endpoint does not accept %(method)s; use %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
            )
            response["Allow"] = allowed
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    pattern.callback = wrapped
    return pattern


# --- Authentication ----------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a key issued by ApiToken.issue (only its hash is
    stored). A token that is presented but not valid is refused outright, rather than falling
    back to the session, so a revoked token never appears to work."""

    def authenticate(self, request: HttpRequest, token: str):
        token_row = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_key(token.strip()))
            .first()
        )
        if token_row is None:
            raise AuthenticationError(401, _("The API token is not valid or has been revoked."))
        ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=timezone.now())
        user = token_row.user
        # The session middleware has already run and found nobody; from here on the request
        # is this user's, in their time zone and language (as UserPreferencesMiddleware does for
        # the UI), so "today" in date checks means the same for a script as in the browser.
        request.user = user
        audit.attribute_to(user)
        try:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        if user.language:
            translation.activate(user.language)
        return user


# Token first: session auth checks CSRF on unsafe methods and fails hard, which would refuse a
# script that has a token but no cookie.
AUTH = [TokenAuth(), SessionAuth()]


# --- Input types -------------------------------------------------------------------------------
#
# The OpenAPI document says exactly what is accepted. pydantic's lax mode would take more than the
# document promises (0 and 1 for a boolean, "7" for a number in a body, a count of seconds for a
# date), so the types below take only what their schema describes; and what the models check on a
# single field (not blank, a known country, so many digits) is a constraint in the schema too.


def _json_integer(value: Any) -> Any:
    # JSON Schema's "integer" is any number without a fraction, 7.0 as well as 7; not a
    # string, and not true or false (which Python counts as integers).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("Input should be a whole number."))
    return value


def integer(**constraints: Any) -> Any:
    """A whole number in a body: 7 or 7.0, but not "7" or true; `constraints` as for Field
    (given here rather than on the field, so that the schema states them)."""
    return Annotated[int, Field(**constraints), BeforeValidator(_json_integer)]


# An id in a body or a path (where the URL pattern takes only digits).
Id = integer(ge=1, le=MAX_ID)


def _query_integer(value: Any) -> Any:
    # A query string carries text: digits, not "1e3" or "7.5". "7.0" is taken as 7, because
    # JSON Schema counts 7.0 as an integer, so a client generated from the schema may send it.
    if isinstance(value, str):
        whole = re.fullmatch(r"([0-9]+)(\.0+)?", value)
        if whole:
            return whole.group(1)
    raise ValueError(_("Input should be a whole number."))


def query_integer(**constraints: Any) -> Any:
    """A whole number in a query string; `constraints` as for Field."""
    return Annotated[int, Field(**constraints), BeforeValidator(_query_integer)]


def _query_boolean(value: Any) -> Any:
    # "true" or "false", not the "yes", "on" or "1" that pydantic would take.
    if value in ("true", "false"):
        return value
    raise ValueError(_("Input should be true or false."))


# An id in a query string: digits, and described so, since a JSON Schema "integer" would admit
# 10.0 and larger ids than the database holds (the parser still takes 10.0 as 10, as for limits).
QueryId = Annotated[
    int,
    Field(ge=1, le=MAX_ID),
    BeforeValidator(_query_integer),
    WithJsonSchema({"type": "string", "pattern": "^[1-9][0-9]{0,17}$"}),
]
# true or false in a query string.
QueryBool = Annotated[bool, BeforeValidator(_query_boolean)]

# Text: PostgreSQL can neither store nor compare NUL characters (see NoNul).
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, StringConstraints(pattern=NO_NUL)]

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError(_("Give a date as YYYY-MM-DD."))


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, str) and ISO_DATETIME.fullmatch(value):
        return value
    raise ValueError(_("Give a time as YYYY-MM-DDThh:mm:ss with a UTC offset, e.g. Z or +02:00."))


def _in_utc_range(value: datetime) -> datetime:
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError(_("This time is out of range.")) from None
    return value


# A date as text, YYYY-MM-DD (RFC 3339 full-date), in a body or a query string alike.
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
# A moment as RFC 3339 date-time text with its UTC offset.
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_datetime), AfterValidator(_in_utc_range)]


def _known_country(value: str) -> str:
    if value not in countries():
        raise ValueError(_("Not an ISO 3166 country code: %(code)s.") % {"code": value})
    return value


def _codes_pattern(codes: Iterable[str]) -> str:
    """A pattern that matches exactly these two-letter codes: ^(A[DE]|B[AB])$ for AD AE BA BB.
    Shorter than an enum of some 250 codes, which schemathesis would also try one by one."""
    by_first: dict[str, list[str]] = {}
    for code in sorted(codes):
        by_first.setdefault(code[0], []).append(code[1])
    return "^(" + "|".join(f"{a}[{''.join(rest)}]" for a, rest in by_first.items()) + ")$"


# A country as its ISO 3166-1 alpha-2 code, as the models store it: one of the codes in
# metacluster/data/countries.csv.
Country = Annotated[
    str,
    AfterValidator(_known_country),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _codes_pattern(countries()),
            "description": "An ISO 3166-1 alpha-2 country code.",
            "examples": ["SE"],
        }
    ),
]
# A country to filter by: any two letters, in either case (an unknown code matches nothing).
CountryFilter = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
# An ISO 4217 currency code.
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


def decimal_input(max_digits: int, decimal_places: int, *, positive: bool = False) -> Any:
    """A decimal for a DecimalField(max_digits, decimal_places) that is not negative (with
    `positive`, greater than zero): as a string such as "12.50", the form the API answers with,
    or as a whole number (a JSON integer). A JSON number with a fraction is refused, since a
    binary float cannot say 0.1 exactly."""
    whole = max_digits - decimal_places
    fraction = rf"(\.[0-9]{{1,{decimal_places}}})?"
    if positive:
        # More than zero: some digit other than 0 before the point, or else after it.
        assert decimal_places == 2, "the pattern below spells out two decimal places"
        pattern = rf"^([1-9][0-9]{{0,{whole - 1}}}{fraction}|0\.(0[1-9]|[1-9][0-9]?))$"
    else:
        pattern = rf"^(0|[1-9][0-9]{{0,{whole - 1}}}){fraction}$"
    low, high = (1 if positive else 0), 10**whole - 1
    compiled = re.compile(pattern)

    def parse(value: Any) -> Decimal:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 4.0 is a JSON Schema integer as well as 4
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return Decimal(value)
        if isinstance(value, str) and compiled.fullmatch(value):
            return Decimal(value)
        raise ValueError(
            _(
                "Give a number %(least)s with at most %(whole)s digits before the point and "
                "%(places)s after it, as a string such as “12.50” or as a whole number."
            )
            % {
                "least": _("greater than 0") if positive else _("of 0 or more"),
                "whole": whole,
                "places": decimal_places,
            }
        )

    schema = {
        "anyOf": [
            {"type": "string", "pattern": pattern},
            {"type": "integer", "minimum": low, "maximum": high},
        ]
    }
    return Annotated[Decimal, PlainValidator(parse), WithJsonSchema(schema)]


# --- Input -------------------------------------------------------------------------------------


class NoNul(Schema):
    """Refuses NUL characters in any text field: PostgreSQL can neither store nor compare
    them, so they would otherwise surface as a server error."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        strings = value if isinstance(value, list) else [value]
        if any(isinstance(s, str) and "\x00" in s for s in strings):
            raise ValueError(_("Text cannot contain NUL characters."))
        return value


class Input(NoNul):
    """Base of every request body: unknown fields are refused, so that a typo in a field name
    is reported rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Patch(Input):
    version: Id = Field(..., description="The version you loaded; 409 if it has changed.")


def apply_edit(
    instance: Model,
    payload: Patch,
    *,
    check: Callable[[Model], None] | None = None,
    exclude: set[str] = frozenset(),
) -> Model:
    """Apply the fields given in a PATCH, validate (`check`, then the model's full_clean), and
    save only if nobody else has saved since the client loaded `payload.version` (else
    StaleEdit → 409, and nothing changes)."""
    if payload.version != instance.version:
        raise stale(instance)
    changes = payload.model_dump(exclude_unset=True, exclude={"version", *exclude})
    for name, value in changes.items():
        setattr(instance, name, value)
    if check is not None:
        check(instance)
    instance.full_clean()
    try:
        instance.save_versioned(payload.version)
    except StaleEdit:
        raise stale(type(instance).objects.get(pk=instance.pk)) from None
    instance.refresh_from_db()
    return instance


def stale(current: Model) -> StaleEdit:
    error = StaleEdit(
        _("Someone else changed this record after you loaded it. Fetch it again and reapply.")
    )
    error.fields = {
        "version": [_("The current version is %(version)s.") % {"version": current.version}]
    }
    return error


# --- Lookups -----------------------------------------------------------------------------------


def get_visible(queryset: QuerySet, pk: int, what: str) -> Model:
    """The record if it is in the user's visible queryset; 404 otherwise, whether it does not
    exist or belongs to someone else, so outsiders learn nothing."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(_("No %(what)s with id %(id)s.") % {"what": what, "id": pk})
    return found


def get_referenced(queryset: QuerySet, pk: int | None, field: str, what: str) -> Model | None:
    """A record named by id in a request body; an unknown or invisible one is a field error."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise DjangoValidationError(
            {field: _("No %(what)s with id %(id)s that you can see.") % {"what": what, "id": pk}}
        )
    return found


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def acting_partner(request, programme, organisation_id: int | None, *, field: str, default=None):
    """The partner organisation a record is made for: the user's own by default; another
    partner of the programme only for its programme managers (advisors act for their own
    organisation)."""
    user = request.user
    partners = Organisation.objects.filter(partnerships__programme=programme)
    if organisation_id is None:
        organisation = partners.filter(pk=user.organisation_id).first() or default
        if organisation is None:
            raise DjangoValidationError({field: _("Say which partner this is for.")})
    else:
        organisation = get_referenced(partners, organisation_id, field, _("partner"))
    require(may_act_for(user, programme, organisation), ACT_FOR_OTHERS_REFUSED)
    return organisation


# --- Pages -------------------------------------------------------------------------------------


class ListQuery(NoNul):
    limit: query_integer(ge=1, le=MAX_LIMIT) = Field(50, description="At most this many items.")
    offset: query_integer(ge=0, le=MAX_OFFSET) = Field(0, description="Skip this many items.")


class Page(Schema, Generic[T]):
    count: int = Field(..., description="All matching items, not just this page.")
    limit: int
    offset: int
    items: list[T]


def paginate(rows: QuerySet | list, query: ListQuery) -> dict:
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    items = rows[query.offset : query.offset + query.limit]
    return {"count": count, "limit": query.limit, "offset": query.offset, "items": list(items)}
