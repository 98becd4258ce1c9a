"""Reading the R tools' reference outputs (shared/reference) and running them through qiscope."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from conftest import REFERENCE


def read_csv(path: str) -> pd.DataFrame:
    df = pd.read_csv(REFERENCE / path, keep_default_na=True, na_values=["NA"])
    for col in df.columns:
        if pd.api.types.is_string_dtype(df[col].dtype) or df[col].dtype == object:
            parsed = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce")
            if parsed.notna().sum() == df[col].notna().sum() and df[col].notna().any():
                df[col] = parsed
    return df


def add_derived_columns(data: pd.DataFrame, derived: dict[str, Any], x: str) -> pd.DataFrame:
    data = data.copy()
    for name, rule in (derived or {}).items():
        if rule["kind"] == "value_per_facet":
            data[name] = data[rule["by"]].map(rule["values"])
        elif rule["kind"] == "phase_labels_from_x":
            starts = {k: [pd.Timestamp(v) for v in vs] for k, vs in rule["starts"].items()}
            xs = pd.to_datetime(data[rule.get("x", x)])
            facets = data[rule["by"]].to_numpy()
            # label = number of start x values <= the row's x (vectorised per facet key)
            labels = np.zeros(len(data), dtype=np.int64)
            for key, vs in starts.items():
                mask = facets == key
                labels[mask] = np.searchsorted(np.sort(np.array(vs, dtype="datetime64[ns]")),
                                               xs[mask].to_numpy(), side="right")
            data[name] = labels
        else:
            raise ValueError(f"unknown derived column kind {rule['kind']}")
    return data


def case_arguments(case: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    data = read_csv(case["files"]["input"])
    args = dict(case["args"])
    args.update(case.get("extensions") or {})
    data = add_derived_columns(data, case.get("derived_columns") or {}, args.get("x", "x"))
    return data, args
