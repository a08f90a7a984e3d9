-- string.format in a loop (as format.mica).
local total = 0
for i = 0, 299999 do
  local s = string.format("%d:%.3f:%s|%5d", i, i * 0.5, "abc", i % 1000)
  total = total + #s
end
print(total)
