-- Health of a PersistentVolumeClaim. Argo CD's built-in check is Healthy only once Bound, but a claim on a
-- WaitForFirstConsumer storage class stays Pending until a pod mounts it, and our PVCs sync in wave 0,
-- before any consumer: Pending must count as Healthy or the first wave never ends (argo-cd#12840).
hs = {}
if obj.status ~= nil and obj.status.phase ~= nil then
  if obj.status.phase == "Bound" then
    hs.status = "Healthy"
    hs.message = "Bound"
    return hs
  end
  if obj.status.phase == "Pending" then
    hs.status = "Healthy"
    hs.message = "Pending: waiting for its first consumer"
    return hs
  end
  if obj.status.phase == "Lost" then
    hs.status = "Degraded"
    hs.message = "the bound volume was lost"
    return hs
  end
end
hs.status = "Progressing"
hs.message = "waiting for the claim to be processed"
return hs
