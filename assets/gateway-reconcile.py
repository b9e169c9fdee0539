#!/usr/bin/env python3
"""Converge the teams of a LiteLLM gateway to the desired state of one private AI boundary.

Runs as a Kubernetes Job in the LiteLLM image after every deploy (Python 3 standard library only).

Environment:
  LITELLM_URL                  base URL of the gateway, e.g. http://gateway.<ns>.svc.cluster.local:4000
  LITELLM_MASTER_KEY           admin key; sent only as the Authorization header, never printed
  DESIRED_STATE_PATH           default /etc/pab/desired-state.json
  PAB_READY_TIMEOUT_SECONDS    default 300: how long to wait for GET /health/readiness to return 200
  PAB_HTTP_TIMEOUT_SECONDS     default 15: timeout of one HTTP request
  PAB_HTTP_ATTEMPTS            default 5: attempts per admin call on transient failures (connection, 5xx, 429)
  PAB_BACKOFF_BASE_SECONDS     default 1: first backoff delay; doubles per attempt, capped at 30 s

Admin API used (LiteLLM proxy, litellm/proxy/management_endpoints/team_endpoints.py):
  GET  /health/readiness   no auth; 200 when ready, 503 otherwise
  GET  /team/list          proxy admin: every team, as a JSON list of team rows
  POST /team/new           {team_id, team_alias, models, rpm_limit, tpm_limit, metadata}; 400 if team_id exists
  POST /team/update        {team_id, ...}: only the fields sent are written (null clears a limit)
  POST /team/delete        {"team_ids": [...]}: deletes the teams and their keys; 404 if one is missing

Ownership: a team is ours when metadata.managed_by == "private-ai-boundary" and metadata.boundary == the
boundary of the desired state. Only our teams are updated or deleted. A desired team_id that already
exists without our marker is reported as a conflict and left untouched (exit 1).

Output: one JSON summary line on stdout; errors on stderr. Exit 0 on success, 1 on any failure.
"""

import http.client
import json
import os
import re
import sys
import time
import traceback
import urllib.error
import urllib.request

MANAGED_BY = "private-ai-boundary"
PROG = "gateway-reconcile"
TEAM_KEYS = ("team_id", "team_alias", "models", "rpm_limit", "tpm_limit", "metadata")
MAX_BACKOFF_SECONDS = 30.0


class ReconcileError(Exception):
    """An expected failure: reported on stderr without a traceback."""


class TransientError(Exception):
    """A failure worth retrying (connection error, HTTP 5xx or 429)."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class HttpStatusError(Exception):
    """A non-retryable HTTP status."""

    def __init__(self, status, reason, body):
        super().__init__("HTTP %d" % status)
        self.status = status
        self.reason = reason
        self.body = body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow redirects: urllib would forward the Authorization header to the new location."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib hook
        return None


# No proxy (the gateway is in-cluster and the master key must not transit a proxy), no redirects.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


class Redactor:
    """Removes the master key, and anything shaped like a LiteLLM key, from text before it is printed."""

    def __init__(self, secret):
        self.secret = secret or ""

    def __call__(self, text, from_server=False):
        text = str(text)
        if self.secret:
            text = text.replace(self.secret, "[REDACTED]")
            if self.secret.startswith("sk-") and len(self.secret) > 7:
                text = text.replace(self.secret[3:], "[REDACTED]")
            if from_server and len(self.secret) >= 8:
                # Servers echo abbreviated keys ("sk-...abcd"): drop the key's tail from their text too.
                text = text.replace(self.secret[-4:], "[REDACTED]")
        return re.sub(r"\bsk-[A-Za-z0-9_.\-]+", "sk-[REDACTED]", text)


def env_number(name, default, minimum):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ReconcileError("%s must be a number, got %r" % (name, raw))
    if value < minimum:
        raise ReconcileError("%s must be >= %s, got %s" % (name, minimum, raw))
    return value


def backoff_delay(base, attempt):
    """Delay before retry number `attempt` (1-based): base * 2^(attempt-1), capped."""
    return min(MAX_BACKOFF_SECONDS, base * (2 ** (attempt - 1)))


class Gateway:
    """Minimal client of the LiteLLM admin API with bounded retries."""

    def __init__(self, base_url, key, http_timeout, attempts, backoff_base, redact):
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.http_timeout = http_timeout
        self.attempts = int(attempts)
        self.backoff_base = backoff_base
        self.redact = redact

    def _once(self, method, path, body, auth, timeout):
        """One request. Returns the raw body of a 2xx response; raises TransientError or HttpStatusError."""
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if auth:
            headers["Authorization"] = "Bearer " + self.key
        try:
            req = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
            with _OPENER.open(req, timeout=timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as err:  # a status >= 300 (redirects are not followed)
            status = err.code
            try:
                raw = err.read()
            except Exception:  # body unreadable: the status is what matters
                raw = b""
            if status == 429 or status >= 500:
                retry_after = None
                try:
                    retry_after = float(err.headers.get("Retry-After", ""))
                except (AttributeError, TypeError, ValueError):
                    pass
                raise TransientError("HTTP %d" % status, retry_after)
            raise HttpStatusError(status, err.reason, raw.decode("utf-8", "replace"))
        except ValueError as err:  # malformed URL (http.client.InvalidURL is a ValueError too)
            raise ReconcileError("invalid LITELLM_URL %r: %s" % (self.redact(self.base_url), self.redact(err)))
        except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
            # URLError: refused/DNS; OSError: socket timeouts and resets; HTTPException: truncated responses.
            reason = getattr(err, "reason", None) or err.__class__.__name__
            raise TransientError("connection error: %s" % self.redact(reason))

    def call(self, method, path, body=None, ok_on_retry=None):
        """Call an admin endpoint and return its parsed JSON body (None when empty).

        `ok_on_retry` maps a status to a text of its error body that means success when seen on a
        retry: the first attempt may have been applied before its response was lost."""
        last = None
        for attempt in range(1, self.attempts + 1):
            try:
                raw = self._once(method, path, body, True, self.http_timeout)
            except TransientError as err:
                last = err
                if attempt == self.attempts:
                    break
                delay = backoff_delay(self.backoff_base, attempt)
                if err.retry_after is not None:
                    delay = min(MAX_BACKOFF_SECONDS, max(delay, err.retry_after))
                log("%s %s: %s; retry %d/%d in %.1fs" % (method, path, err, attempt, self.attempts - 1, delay))
                time.sleep(delay)
                continue
            except HttpStatusError as err:
                expected = (ok_on_retry or {}).get(err.status)
                if attempt > 1 and expected and expected in err.body.lower():
                    log("%s %s: HTTP %d on retry: the earlier attempt was applied" % (method, path, err.status))
                    return None
                raise ReconcileError(self.describe(method, path, err))
            if not raw.strip():
                return None
            try:
                return json.loads(raw.decode("utf-8"))
            except ValueError:
                raise ReconcileError("%s %s returned a body that is not JSON" % (method, path))
        raise ReconcileError("%s %s failed after %d attempts: %s" % (method, path, self.attempts, last))

    def describe(self, method, path, err):
        message = "%s %s failed: HTTP %d" % (method, path, err.status)
        if err.reason:
            message += " " + str(err.reason)
        if err.status in (401, 403):
            # The body of an auth error may echo (part of) the key: never print it.
            return message + " - check the gateway master key secret (LITELLM_MASTER_KEY)"
        detail = self.redact(err.body.strip(), from_server=True)[:300]
        return message + (": " + detail if detail else "")

    def wait_ready(self, timeout_seconds):
        deadline = time.monotonic() + timeout_seconds
        attempt = 0
        last = "no response"
        while True:
            attempt += 1
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                self._once("GET", "/health/readiness", None, False, max(0.1, min(self.http_timeout, remaining)))
                if attempt > 1:
                    log("gateway ready after %d polls" % attempt)
                return
            except TransientError as err:
                last = str(err)
            except HttpStatusError as err:
                last = "HTTP %d" % err.status
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            delay = min(backoff_delay(self.backoff_base, attempt), 10.0, remaining)
            log("gateway not ready (%s); next poll in %.1fs" % (last, delay))
            time.sleep(delay)
        raise ReconcileError(
            "gateway not ready: GET %s/health/readiness did not return 200 within %gs (last result: %s)"
            % (self.redact(self.base_url), timeout_seconds, last)
        )


def log(message):
    sys.stderr.write("%s: %s\n" % (PROG, message))
    sys.stderr.flush()


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def load_desired(path):
    try:
        with open(path, "r", encoding="utf-8") as handle:
            doc = json.load(handle)
    except FileNotFoundError:
        raise ReconcileError("desired state file not found: %s (DESIRED_STATE_PATH)" % path)
    except (OSError, ValueError) as err:
        raise ReconcileError("cannot read desired state %s: %s" % (path, err))
    if not isinstance(doc, dict):
        raise ReconcileError("desired state %s: top level must be an object" % path)
    boundary = doc.get("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise ReconcileError("desired state %s: 'boundary' must be a non-empty string" % path)
    managed_by = doc.get("managedBy", MANAGED_BY)
    if managed_by != MANAGED_BY:
        raise ReconcileError("desired state %s: 'managedBy' must be %r" % (path, MANAGED_BY))
    teams = doc.get("teams", [])
    if not isinstance(teams, list):
        raise ReconcileError("desired state %s: 'teams' must be a list" % path)
    desired = {}
    for index, team in enumerate(teams):
        where = "desired state %s: teams[%d]" % (path, index)
        if not isinstance(team, dict):
            raise ReconcileError("%s must be an object" % where)
        unknown = sorted(set(team) - set(TEAM_KEYS))
        if unknown:
            # A field this script does not apply (e.g. a new limit) must not be dropped silently.
            raise ReconcileError("%s has unsupported fields %s" % (where, ", ".join(unknown)))
        team_id = team.get("team_id")
        if not isinstance(team_id, str) or not team_id:
            raise ReconcileError("%s: 'team_id' must be a non-empty string" % where)
        if team_id in desired:
            raise ReconcileError("%s: duplicate team_id %r" % (where, team_id))
        alias = team.get("team_alias", team_id)
        if not isinstance(alias, str) or not alias:
            raise ReconcileError("%s: 'team_alias' must be a non-empty string" % where)
        models = team.get("models", [])
        if not isinstance(models, list) or not all(isinstance(m, str) and m for m in models):
            raise ReconcileError("%s: 'models' must be a list of model names" % where)
        limits = {}
        for field in ("rpm_limit", "tpm_limit"):
            value = team.get(field)
            if value is not None and (not is_int(value) or value < 0):
                raise ReconcileError("%s: %r must be a non-negative integer or absent" % (where, field))
            limits[field] = value
        metadata = team.get("metadata", {})
        if not isinstance(metadata, dict):
            raise ReconcileError("%s: 'metadata' must be an object" % where)
        for reserved in ("managed_by", "boundary"):
            if reserved in metadata:
                raise ReconcileError("%s: metadata key %r is reserved" % (where, reserved))
        full_metadata = dict(metadata)
        full_metadata["managed_by"] = MANAGED_BY
        full_metadata["boundary"] = boundary
        desired[team_id] = {
            "team_id": team_id,
            "team_alias": alias,
            "models": list(models),
            "rpm_limit": limits["rpm_limit"],
            "tpm_limit": limits["tpm_limit"],
            "metadata": full_metadata,
        }
    return boundary, desired


def parse_team_list(payload):
    """GET /team/list returns a JSON list of team rows; accept {"teams": [...]} too (paginated variants)."""
    if isinstance(payload, dict) and isinstance(payload.get("teams"), list):
        total = payload.get("total")
        if (is_int(payload.get("total_pages")) and payload["total_pages"] > 1) or (
            is_int(total) and total > len(payload["teams"])
        ):
            # Reconciling against one page would re-create or miss teams: refuse instead.
            raise ReconcileError("GET /team/list returned one page of a paginated list; this script needs all teams")
        payload = payload["teams"]
    if not isinstance(payload, list):
        raise ReconcileError("GET /team/list: expected a JSON list of teams (or an object with a 'teams' list)")
    existing = {}
    for row in payload:
        if not isinstance(row, dict) or not isinstance(row.get("team_id"), str):
            raise ReconcileError("GET /team/list: every team must be an object with a string 'team_id'")
        metadata = row.get("metadata")
        if isinstance(metadata, str):  # some versions serialise JSON columns as strings
            try:
                metadata = json.loads(metadata)
            except ValueError:
                metadata = {}
        row = dict(row)
        row["metadata"] = metadata if isinstance(metadata, dict) else {}
        existing[row["team_id"]] = row
    return existing


def owner_of(team):
    """(managed_by, boundary) markers of an existing team."""
    metadata = team.get("metadata") or {}
    return metadata.get("managed_by"), metadata.get("boundary")


def differs(existing, desired):
    """Names of the managed fields whose existing value differs from the desired one."""
    changed = []
    if existing.get("team_alias") != desired["team_alias"]:
        changed.append("team_alias")
    if sorted(existing.get("models") or []) != sorted(desired["models"]):
        changed.append("models")
    for field in ("rpm_limit", "tpm_limit"):
        if existing.get(field) != desired[field]:
            changed.append(field)
    if existing.get("metadata") != desired["metadata"]:
        changed.append("metadata")
    return changed


def reconcile(gateway, boundary, desired):
    existing = parse_team_list(gateway.call("GET", "/team/list"))
    summary = {"boundary": boundary, "created": [], "updated": [], "deleted": [], "unchanged": []}
    conflicts = []

    for team_id in sorted(desired):
        want = desired[team_id]
        have = existing.get(team_id)
        if have is None:
            gateway.call("POST", "/team/new", want, ok_on_retry={400: "already exists"})
            summary["created"].append(team_id)
            continue
        if owner_of(have) != (MANAGED_BY, boundary):
            managed_by, other = owner_of(have)
            owner = "boundary %r" % other if managed_by == MANAGED_BY else "no private-ai-boundary marker"
            conflicts.append("%s (exists with %s)" % (team_id, owner))
            continue
        changed = differs(have, want)
        if changed:
            log("team %s: updating %s" % (team_id, ", ".join(changed)))
            gateway.call("POST", "/team/update", want)
            summary["updated"].append(team_id)
        else:
            summary["unchanged"].append(team_id)

    stale = sorted(
        team_id for team_id, team in existing.items()
        if team_id not in desired and owner_of(team) == (MANAGED_BY, boundary)
    )
    if stale:
        gateway.call("POST", "/team/delete", {"team_ids": stale}, ok_on_retry={404: "not found"})
        summary["deleted"] = stale

    for key in ("created", "updated", "deleted", "unchanged"):
        summary[key] = sorted(summary[key])
    return summary, conflicts


def main():
    redact = Redactor(os.environ.get("LITELLM_MASTER_KEY", ""))
    try:
        url = os.environ.get("LITELLM_URL", "").strip()
        if not url:
            raise ReconcileError("LITELLM_URL is not set")
        if not url.startswith(("http://", "https://")):
            raise ReconcileError("LITELLM_URL must start with http:// or https://")
        key = os.environ.get("LITELLM_MASTER_KEY", "")
        if not key.strip():
            raise ReconcileError("LITELLM_MASTER_KEY is not set (mount the gateway master key secret)")
        path = os.environ.get("DESIRED_STATE_PATH", "").strip() or "/etc/pab/desired-state.json"
        ready_timeout = env_number("PAB_READY_TIMEOUT_SECONDS", 300.0, 0)
        http_timeout = env_number("PAB_HTTP_TIMEOUT_SECONDS", 15.0, 0.1)
        attempts = env_number("PAB_HTTP_ATTEMPTS", 5, 1)
        backoff_base = env_number("PAB_BACKOFF_BASE_SECONDS", 1.0, 0)

        boundary, desired = load_desired(path)
        gateway = Gateway(url, key, http_timeout, attempts, backoff_base, redact)
        gateway.wait_ready(ready_timeout)
        summary, conflicts = reconcile(gateway, boundary, desired)
        sys.stdout.write(json.dumps(summary, sort_keys=True, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        if conflicts:
            raise ReconcileError(
                "desired team ids already exist and are not managed by this boundary (left untouched): "
                + "; ".join(conflicts)
            )
        return 0
    except ReconcileError as err:
        log("error: " + redact(err))
        return 1
    except KeyboardInterrupt:
        log("error: interrupted")
        return 1
    except Exception:  # a bug: keep the traceback for debugging, minus any secret
        log("unexpected error:\n" + redact(traceback.format_exc()))
        return 1


if __name__ == "__main__":
    sys.exit(main())
