"""Prompt templates: the fixed scaffold many prompts share, mined from raw prompt text.

placeholder, written after measuring.
"""

from .browse import TemplateDetail, TemplateListing, template_clusters, template_detail, template_listing
from .mining import TemplateResult, config_fingerprint, ensure_templates, mine_templates, template_hub_cap

__all__ = [
    "TemplateResult",
    "mine_templates",
    "ensure_templates",
    "template_hub_cap",
    "config_fingerprint",
    "TemplateListing",
    "TemplateDetail",
    "template_listing",
    "template_detail",
    "template_clusters",
]
