from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shikhon.core.clock import dhaka_today
from shikhon.core.fields import UserCharField
from shikhon.people.phone import national_format, normalize_phone, validate_stored_phone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(phone=normalize_phone(phone), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("name_bn", "অ্যাডমিন")
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, known by their mobile number. Roles over places live in `places.Role`."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNSAID = "", _("Prefer not to say")

    phone = models.CharField(_("mobile number"), max_length=16, unique=True, validators=[validate_stored_phone])
    name_bn = UserCharField(_("name (Bangla)"), max_length=120)
    name_en = UserCharField(_("name (English)"), max_length=120, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    designation = UserCharField(_("designation"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name_bn"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils import translation

        if (translation.get_language() or "bn").startswith("en") and self.name_en:
            return self.name_en
        return self.name_bn or self.name_en or national_format(self.phone)

    @property
    def phone_display(self) -> str:
        return national_format(self.phone)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class LoginCode(models.Model):
    """One SMS sign-in code. Only its keyed hash is stored; rows also exist for unknown numbers,
    so limits and answers are the same whether a number is registered or not."""

    phone = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "created_at"], name="logincode_phone_time_idx")]

    def __str__(self) -> str:
        return f"code for {self.phone} at {self.created_at:%H:%M}"


class AccessToken(models.Model):
    """A personal access token for API clients: shown once, stored as a SHA-256 hash, revocable."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="access_tokens")
    name = UserCharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Role(models.Model):
    """A role a person holds over a place for a time. One person may hold several."""

    class Kind(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        HEAD_TEACHER = "head_teacher", _("Head teacher")
        MENTOR = "mentor", _("Mentor")
        UPAZILA_OFFICER = "upazila_officer", _("Upazila education officer")
        DISTRICT_OFFICER = "district_officer", _("District education officer")
        DIVISION_OFFICER = "division_officer", _("Division education officer")
        NATIONAL_ADMIN = "national_admin", _("National administrator")
        RESEARCHER = "researcher", _("Researcher")
        COURSE_AUTHOR = "course_author", _("Course author")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Not approved")

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The place the role is held over. The most specific one is set by the service and the wider
    # ones are copied from it, so "everyone in this upazila" is one indexed IN on this table.
    school = models.ForeignKey("places.School", verbose_name=_("school"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="roles")
    upazila = models.ForeignKey("places.Upazila", verbose_name=_("upazila"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("places.District", verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey("places.Division", verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey(User, verbose_name=_("granted by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(User, verbose_name=_("approved or rejected by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    SCHOOL_KINDS = frozenset({Kind.TEACHER, Kind.HEAD_TEACHER})

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "status"], name="role_user_status_idx"),
            models.Index(fields=["school", "kind", "status"], name="role_school_idx"),
            models.Index(fields=["upazila", "kind", "status"], name="role_upazila_idx"),
            models.Index(fields=["district", "kind", "status"], name="role_district_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "school"],
                condition=models.Q(ends_on__isnull=True, status__in=["pending", "active"], school__isnull=False),
                name="one_open_school_role_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="role_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.place_name}"

    @property
    def place_name(self) -> str:
        for place in (self.school, self.upazila, self.district, self.division):
            if place is not None:
                return str(place)
        return str(_("Bangladesh"))

    @property
    def is_current(self) -> bool:
        today = dhaka_today()
        return (self.status == self.Status.ACTIVE and self.starts_on <= today
                and (self.ends_on is None or self.ends_on >= today))
