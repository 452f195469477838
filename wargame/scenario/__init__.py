"""Loading and validation of scenario and ruleset YAML files, with file:line:col errors."""

from wargame.scenario.catalogs import read_catalog, write_catalog
from wargame.scenario.loader import (
    DATA_DIR_ENV,
    Loaded,
    data_roots,
    default_ruleset_dirs,
    default_scenario_dirs,
    document_kind,
    find_ruleset,
    find_scenario,
    load_any,
    load_any_source,
    load_ruleset,
    load_ruleset_source,
    load_scenario,
    load_scenario_parts,
    load_scenario_source,
)
from wargame.scenario.msel_io import import_msel, write_msel
from wargame.scenario.problems import LoadError, Problem
from wargame.scenario.schemas import export_json_schemas
from wargame.scenario.synthetic import generate_catalog
from wargame.scenario.validate import validate_paths

__all__ = [
    "DATA_DIR_ENV",
    "LoadError",
    "Loaded",
    "Problem",
    "data_roots",
    "default_ruleset_dirs",
    "default_scenario_dirs",
    "document_kind",
    "export_json_schemas",
    "find_ruleset",
    "find_scenario",
    "generate_catalog",
    "import_msel",
    "load_any",
    "load_any_source",
    "load_ruleset",
    "load_ruleset_source",
    "load_scenario",
    "load_scenario_parts",
    "load_scenario_source",
    "read_catalog",
    "validate_paths",
    "write_catalog",
    "write_msel",
]
