-- Lua has no ordered map: the same AVL tree as std.collections.TreeMap, then
-- 200000 ceiling queries (as treemap.mica).
local function h(n) return n and n.h or 0 end
local function fix(n) local a, b = h(n.l), h(n.r); n.h = (a > b and a or b) + 1 end
local function rotr(n) local l = n.l; n.l = l.r; l.r = n; fix(n); fix(l); return l end
local function rotl(n) local r = n.r; n.r = r.l; r.l = n; fix(n); fix(r); return r end
local function balance(n)
  fix(n)
  local bf = h(n.l) - h(n.r)
  if bf > 1 then
    if h(n.l.l) < h(n.l.r) then n.l = rotl(n.l) end
    return rotr(n)
  elseif bf < -1 then
    if h(n.r.r) < h(n.r.l) then n.r = rotr(n.r) end
    return rotl(n)
  end
  return n
end
local size = 0
local function insert(n, k, v)
  if not n then size = size + 1; return {k = k, v = v, h = 1} end
  if k < n.k then n.l = insert(n.l, k, v)
  elseif k > n.k then n.r = insert(n.r, k, v)
  else n.v = v; return n end
  return balance(n)
end
local function ceiling(n, k)
  local best
  while n do
    if k <= n.k then best = n; if k == n.k then return n.k end; n = n.l else n = n.r end
  end
  return best and best.k
end
local root
local x = 7
for i = 0, 999999 do
  x = x * 6364136223846793005 + 1442695040888963407
  root = insert(root, (x >> 33) % 100000000, i)
end
local sum = 0
for q = 0, 199999 do sum = sum + ceiling(root, q * 400) end
print(size .. " " .. sum)
