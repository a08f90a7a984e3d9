-- Builds a million-entry table keyed by integers, then reads every key back.
local n = 1000000
local m = {}
local size = 0
for i = 0, n - 1 do
  if m[i * 7] == nil then size = size + 1 end
  m[i * 7] = i
end
local sum = 0
for i = 0, n - 1 do sum = sum + m[i * 7] end
print(size .. " " .. sum)
