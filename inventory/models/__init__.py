"""SQLModel tables, a module per concept. Importing this package registers them all."""

from .assessment import Assessment
from .asset import Asset
from .attachment import Attachment
from .audit import AuditEvent
from .catalog import Category, Manufacturer, Model
from .derived import ReferenceVersion
from .event import AssetEvent
from .finance import Prisbasbelopp, ServiceObject
from .flag import AssetFlag, JobRun
from .import_run import ImportRun
from .org import BusinessUnit, CostKey, Location, Owner, Site
from .partnership import OwnerHandover, SplitAdjustment, SplitLine, SplitProposal
from .span import AssetSpan
from .stocktake import Stocktake, StocktakeLine, StocktakeScan
from .tag_alias import AssetTagAlias
from .user import ApiToken, User

__all__ = [
    "ApiToken",
    "Assessment",
    "Asset",
    "AssetEvent",
    "AssetFlag",
    "AssetSpan",
    "AssetTagAlias",
    "Attachment",
    "AuditEvent",
    "BusinessUnit",
    "Category",
    "CostKey",
    "ImportRun",
    "JobRun",
    "Location",
    "Manufacturer",
    "Model",
    "Owner",
    "OwnerHandover",
    "Prisbasbelopp",
    "ReferenceVersion",
    "ServiceObject",
    "Site",
    "SplitAdjustment",
    "SplitLine",
    "SplitProposal",
    "Stocktake",
    "StocktakeLine",
    "StocktakeScan",
    "User",
]
