-- Sorts a million pseudo-random integers (the LCG of sort.mica).
local n = 1000000
local a = {}
local x = 42
for i = 1, n do
  x = x * 6364136223846793005 + 1442695040888963407
  a[i] = x >> 33
end
table.sort(a)
print(a[1] .. " " .. a[n // 2 + 1] .. " " .. a[n])
