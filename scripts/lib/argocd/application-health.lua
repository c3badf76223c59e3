-- Health of a child Application, so the parent's sync waves wait for it (Argo CD stopped assessing
-- Applications in v1.8). Based on the snippet in Argo CD's health docs, hardened in three ways:
-- * hook resources (our init Jobs) do not count in an Application's own health, so while its sync
--   operation is still running them the wave must keep waiting: the operation has to have Succeeded;
-- * a child that is Healthy but not Synced still runs the previous revision;
-- * the last finished sync must be of the revision the child now compares against.
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
  return hs
end
if op ~= nil and op.syncResult ~= nil and op.syncResult.revision ~= nil and sync.revision ~= nil and op.syncResult.revision ~= sync.revision then
  hs.status = "Progressing"
  hs.message = "the last sync was of another revision"
end
return hs
