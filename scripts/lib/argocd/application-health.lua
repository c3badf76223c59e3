-- Health of a child Application, so the parent's sync waves wait for it (Argo CD stopped assessing
-- Applications in v1.8). Based on the snippet in Argo CD's health docs, hardened: a child that reports
-- Healthy but is not Synced (still on the previous revision) keeps the wave waiting.
hs = {}
hs.status = "Progressing"
hs.message = "waiting for the Application to report health"
if obj.status ~= nil then
  if obj.status.health ~= nil and obj.status.health.status ~= nil then
    hs.status = obj.status.health.status
    hs.message = obj.status.health.message or ""
  end
  if hs.status == "Healthy" then
    local sync = obj.status.sync
    if sync == nil or sync.status ~= "Synced" then
      hs.status = "Progressing"
      hs.message = "healthy but not synced yet"
    elseif obj.spec ~= nil and obj.spec.source ~= nil and sync.comparedTo ~= nil and sync.comparedTo.source ~= nil then
      local want = obj.spec.source
      local seen = sync.comparedTo.source
      if want.path ~= seen.path or want.targetRevision ~= seen.targetRevision or want.repoURL ~= seen.repoURL then
        hs.status = "Progressing"
        hs.message = "health was assessed against an older source"
      end
    end
  end
end
return hs
