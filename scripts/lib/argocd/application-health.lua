-- Health of a child Application, so the parent's sync waves wait for it (Argo CD stopped assessing
-- Applications in v1.8). Based on the snippet in Argo CD's health docs, hardened in two ways:
-- * hook resources (our init Jobs) do not count in an Application's own health, so while its sync
--   operation is still running them (phase Running or Terminating) the wave keeps waiting, and a
--   failed or errored last operation (phase Failed or Error) is Degraded;
-- * a child that is Healthy but OutOfSync is about to be synced by its automated sync policy, so it is
--   Progressing, unless its last sync Succeeded on the very revision(s) it is compared against: then
--   the difference outlived a sync (a field another controller rewrites) and waiting would never end.
-- A Synced, Healthy child is Healthy whichever revision its last operation synced (single-source
-- status.sync.revision, multi-source status.sync.revisions): Argo CD only syncs an OutOfSync
-- Application, so a commit that leaves a child's folder unchanged moves its comparison to the new
-- revision without any new operation. Written for Lua 5.1, the language of Argo CD's gopher-lua.

-- True when a sync result is of the revision(s) the comparison is of: every source's, in order.
local function sameRevisions(result, sync)
  if result == nil then
    return false
  end
  if sync.revisions ~= nil and result.revisions ~= nil then
    if #sync.revisions ~= #result.revisions then
      return false
    end
    for i = 1, #sync.revisions do
      if sync.revisions[i] ~= result.revisions[i] then
        return false
      end
    end
    return #sync.revisions > 0
  end
  return sync.revision ~= nil and sync.revision == result.revision
end

hs = {}
hs.status = "Progressing"
hs.message = "waiting for the Application to report health"
if obj.status == nil then
  return hs
end
local op = obj.status.operationState
if op ~= nil then
  if op.phase == "Failed" or op.phase == "Error" then
    hs.status = "Degraded"
    hs.message = op.message or ("sync " .. op.phase)
    return hs
  end
  if op.phase ~= "Succeeded" then
    hs.message = "sync " .. (op.phase or "pending")
    return hs
  end
end
if obj.status.health == nil or obj.status.health.status == nil then
  return hs
end
hs.status = obj.status.health.status
hs.message = obj.status.health.message or ""
if hs.status ~= "Healthy" then
  return hs
end
local sync = obj.status.sync
if sync == nil or sync.status ~= "Synced" then
  if sync ~= nil and sync.status == "OutOfSync" and op ~= nil and sameRevisions(op.syncResult, sync) then
    hs.message = "healthy; still OutOfSync after a successful sync of this revision"
    return hs
  end
  hs.status = "Progressing"
  hs.message = "healthy but not synced yet"
end
return hs
