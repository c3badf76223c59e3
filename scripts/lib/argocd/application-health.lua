-- Health of a child Application, so the parent's sync waves wait for it (Argo CD stopped assessing
-- Applications in v1.8). Based on the snippet in Argo CD's health docs, hardened in two ways:
-- * hook resources (our init Jobs) do not count in an Application's own health, so while its sync
--   operation is still running them (phase Running or Terminating) the wave keeps waiting, and a
--   failed or errored last operation (phase Failed or Error) is Degraded;
-- * a child that is Healthy but not Synced still runs the previous revision: it is about to sync.
-- A Synced, Healthy child is Healthy whichever revision its last operation synced (single-source
-- status.sync.revision, multi-source status.sync.revisions): Argo CD only syncs an OutOfSync
-- Application, so a commit that leaves a child's folder unchanged moves its comparison to the new
-- revision without any new operation. Written for Lua 5.1, the language of Argo CD's gopher-lua.
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
  hs.status = "Progressing"
  hs.message = "healthy but not synced yet"
end
return hs
