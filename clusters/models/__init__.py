from .geography import Region
from .industry import IndustryCode
from .places import Cluster, Park
from .roles import RoleGrant

__all__ = ["Cluster", "IndustryCode", "Park", "Region", "RoleGrant"]
