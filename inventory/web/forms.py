"""WTForms forms (CSRF included). Labels are lazily translated."""

from __future__ import annotations

from functools import cache
from typing import Any

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.i18n import messages_path
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from ..domain.dates import INVALID_DATE, parse_date
from ..domain.errors import ValidationFailed
from ..domain.money import parse_sek
from .i18n import gettext


@cache
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """WTForms' own messages ("This field is required.") in the user's language, loaded
    once per language: Flask-WTF would read the catalogue from disk on every request."""

    def gettext(self, string: str) -> str:
        return str(_wtforms_catalog(str(get_locale())).ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(_wtforms_catalog(str(get_locale())).ungettext(singular, plural, n))


_messages = _WTFormsMessages()


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form: object) -> _WTFormsMessages:
            return _messages


class TypedDateField(DateField):
    """A date as people type it, read by domain.dates.parse_date (the one rule for every
    typed date): a malformed or impossible one ("2025-02-30") says "Invalid date: use
    YYYY-MM-DD.", where WTForms' own field says "Not a valid date value." and, when the
    field is required, "This field is required." (issue 10)."""

    # A date or None; a field with DateRequired holds a date once the form validates.
    data: Any

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        try:
            self.data = parse_date(" ".join(valuelist))
        except ValidationFailed:
            self.data = None
            raise ValueError(gettext(INVALID_DATE)) from None


class DateRequired(DataRequired):
    """DataRequired for a TypedDateField: an empty field says "required", but a date that
    could not be read keeps its own message (DataRequired would replace it)."""

    def __call__(self, form: object, field: object) -> None:
        if getattr(field, "process_errors", None):
            raise StopValidation()
        super().__call__(form, field)


class Kronor:
    """An amount read by domain.money.parse_sek, checked with the form's other fields so that
    its message ("12.500" is ambiguous) shows together with theirs. Empty is left to the
    field's other validators; the view parses the amount again for the service."""

    def __call__(self, form: object, field: object) -> None:
        typed = getattr(field, "data", None) or ""
        if not typed.strip():
            return
        try:
            parse_sek(typed)
        except ValidationFailed as exc:
            raise ValidationError(gettext(next(iter(exc.errors.values())))) from None


def _optional_int(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)  # type: ignore[call-overload, no-any-return]


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class AssetForm(Form):
    tag = StringField(_l("Asset tag"), validators=[DataRequired(), Length(max=32)])
    serial = StringField(_l("Serial number"), validators=[Optional(), Length(max=80)])
    # Both start unchosen ("Välj…"): a preselected first model or owner is a wrong entry
    # waiting to happen.
    model_id = SelectField(_l("Model"), coerce=_optional_int, validators=[DataRequired()])
    owner_id = SelectField(_l("Owner"), coerce=_optional_int, validators=[DataRequired()])
    business_unit_id = SelectField(_l("Business unit"), coerce=_optional_int, validate_choice=False)
    service_object_id = SelectField(
        _l("Service object"), coerce=_optional_int, validate_choice=False
    )
    location_id = SelectField(_l("Location"), coerce=_optional_int, validate_choice=False)
    holder = StringField(_l("Holder (person or shared use)"), validators=[Length(max=200)])
    purchase_date = TypedDateField(_l("Purchase date"), validators=[DateRequired()])
    in_service_date = TypedDateField(_l("In-service date"), validators=[Optional()])
    price = StringField(
        _l("Purchase price (SEK)"), validators=[DataRequired(), Length(max=30), Kronor()]
    )
    depreciation_months = IntegerField(
        _l("Depreciation period (months, empty = category default)"),
        validators=[Optional(), NumberRange(min=0, max=600)],
    )
    warranty_end = TypedDateField(_l("Warranty end"), validators=[Optional()])
    due_override = TypedDateField(_l("Replace by (overrides the rules)"), validators=[Optional()])
    supplier = StringField(_l("Supplier"), validators=[Length(max=120)])
    order_ref = StringField(_l("Order/invoice reference"), validators=[Length(max=80)])
    hostname = StringField(_l("Hostname"), validators=[Length(max=120)])
    mac = StringField(_l("MAC address"), validators=[Length(max=17)])
    ip = StringField(_l("IP address"), validators=[Length(max=45)])
    imei = StringField(_l("IMEI"), validators=[Length(max=20)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=4000)])
    comment = StringField(_l("Comment for the history"), validators=[Length(max=500)])
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class TransitionForm(Form):
    target = SelectField(_l("New status"), validators=[DataRequired()])
    disposal_kind = SelectField(_l("Disposal kind"), validate_choice=False)
    # Parsed by the view (the ledger's rules, domain/disposal.py), kept as typed.
    disposed_on = StringField(_l("Disposal date"), validators=[Length(max=40)])
    proceeds = StringField(_l("Proceeds"), validators=[Length(max=40)])
    comment = StringField(_l("Comment"), validators=[Length(max=500)])
    version = HiddenField()
    # Set by the confirm step, which shows the change before it is made.
    confirmed = HiddenField()
    submit = SubmitField(_l("Change status"))


class CategoryForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    depreciation_months = IntegerField(
        _l("Depreciation period (months)"), validators=[InputRequired(), NumberRange(0, 600)]
    )
    target_lifespan_months = IntegerField(
        _l("Target lifespan (months)"), validators=[InputRequired(), NumberRange(0, 600)]
    )
    horizon_months = IntegerField(
        _l("Planning horizon for replacements (months)"),
        validators=[InputRequired(), NumberRange(0, 120)],
    )
    # Its devices' service object unless told otherwise; the choices are the list's.
    service_object_id = SelectField(_l("Service object of its devices"), validate_choice=False)
    submit = SubmitField(_l("Save"))


class ModelForm(Form):
    manufacturer = StringField(_l("Manufacturer"), validators=[DataRequired(), Length(max=80)])
    name = StringField(_l("Model name"), validators=[DataRequired(), Length(max=120)])
    category_id = SelectField(_l("Category"), coerce=int)
    standard_price = StringField(_l("Standard price (SEK)"), validators=[Length(max=30), Kronor()])
    end_of_support = TypedDateField(_l("End of support"), validators=[Optional()])
    carbon_kg = DecimalField(_l("Carbon footprint (kg CO2e)"), places=1, validators=[Optional()])
    submit = SubmitField(_l("Save"))


class SiteForm(Form):
    name = StringField(_l("Site name"), validators=[DataRequired(), Length(max=120)])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    owner_id = SelectField(_l("Owner"), coerce=_optional_int, validate_choice=False)
    submit = SubmitField(_l("Save"))


class LocationForm(Form):
    site_id = SelectField(_l("Site"), coerce=int)
    building = StringField(_l("Building"), validators=[Length(max=120)])
    room = StringField(_l("Room"), validators=[Length(max=120)])
    is_server_hall = BooleanField(_l("Server hall"))
    is_it_storage = BooleanField(_l("IT storage (where devices taken back go)"))
    submit = SubmitField(_l("Save"))


class BusinessUnitForm(Form):
    owner_id = SelectField(_l("Owner"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Save"))


class UserForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=120)])
    role = SelectField(_l("Role"))
    owner_id = SelectField(_l("Limited to owner"), coerce=_optional_int, validate_choice=False)
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password (at least 15 characters)"), validators=[Length(max=200)])
    submit = SubmitField(_l("Save"))


class CostKeyForm(Form):
    """A year's users per municipality: one field per municipality, added by `cost_key_form`."""

    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])


def cost_key_form(municipalities: list[tuple[str, str]], **kwargs: Any) -> CostKeyForm:
    """The form with a users field `users_<slug>` for each (slug, name)."""

    class YearForm(CostKeyForm):
        pass

    for slug, name in municipalities:
        field = IntegerField(
            _l("Users: %(name)s", name=name),
            validators=[InputRequired(), NumberRange(min=0, max=1_000_000)],
        )
        setattr(YearForm, f"users_{slug}", field)
    # Made after the users fields: a form shows its fields in the order they were made.
    YearForm.submit = SubmitField(_l("Save"))
    return YearForm(**kwargs)


class DecisionForm(Form):
    """The committee's decision on a split proposal; `confirmed` is set by the confirm step,
    which shows what applying it does before it is done."""

    decided_on = TypedDateField(_l("Date of the decision"), validators=[DateRequired()])
    decision_ref = StringField(
        _l("Decision reference (e.g. ITN § 45/2026)"), validators=[DataRequired(), Length(max=80)]
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])
    confirmed = HiddenField()
    submit = SubmitField(_l("Review the decision…"))


class OwnerForm(Form):
    leaves_on = TypedDateField(
        _l("Leaves the partnership on (empty: stays)"), validators=[Optional()]
    )
    submit = SubmitField(_l("Save"))
