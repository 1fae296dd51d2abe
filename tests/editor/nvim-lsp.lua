-- Drives `jobzero lsp` with Neovim's own LSP client (0.7 or newer), headless:
--   JZ_WORKSPACE=DIR JZ_BIN=path/to/jobzero nvim --headless -u NONE -i NONE \
--     -c "luafile tests/editor/nvim-lsp.lua"
-- Opens .github/workflows/ci.yml of the workspace, waits for jobzero's diagnostics, asks for hover and code
-- actions, applies the safe fix, and checks the diagnostics clear. Exits 0 on success,
-- 1 with the reason on stderr otherwise.
local workspace = assert(vim.env.JZ_WORKSPACE, "JZ_WORKSPACE: the workspace to open")
local jobzero = assert(vim.env.JZ_BIN, "JZ_BIN: the jobzero binary")

local function fail(message)
  io.stderr:write("nvim-lsp: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function wait(ms, what, predicate)
  if not vim.wait(ms, predicate, 20) then
    fail("timed out waiting for " .. what)
  end
end

local client_id = vim.lsp.start_client({
  name = "jobzero",
  cmd = { jobzero, "lsp" },
  root_dir = workspace,
  init_options = { debounceMs = 0 },
})
if not client_id then
  fail("the client did not start")
end

vim.cmd("edit " .. workspace .. "/.github/workflows/ci.yml")
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local function codes()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    out[#out + 1] = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  end
  table.sort(out)
  return out
end

local function has(code)
  for _, c in ipairs(codes()) do
    if c == code then
      return true
    end
  end
  return false
end

wait(20000, "diagnostics of the workflow", function()
  return has("pipeline/persisted-credentials")
end)
if not has("pipeline/template-injection") then
  fail("no template-injection diagnostic: " .. table.concat(codes(), ", "))
end

-- Hover on the checkout line explains the rule.
local checkout
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  if code == "pipeline/persisted-credentials" then
    checkout = d
  end
end
local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = checkout.lnum, character = checkout.col },
}, 10000)
local hover_text = ""
for _, r in pairs(hover or {}) do
  if r.result and r.result.contents then
    hover_text = hover_text .. (r.result.contents.value or "")
  end
end
if not hover_text:find("persisted-credentials", 1, true) then
  fail("hover does not explain the rule: " .. hover_text)
end

-- The safe fix, applied as the editor applies any workspace edit.
local actions = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = {
    start = { line = checkout.lnum, character = 0 },
    ["end"] = { line = checkout.end_lnum or checkout.lnum, character = 0 },
  },
  context = { diagnostics = {} },
}, 10000)
local fix
for _, r in pairs(actions or {}) do
  for _, a in ipairs(r.result or {}) do
    if a.isPreferred then
      fix = a
    end
  end
end
if not fix then
  fail("no safe fix offered")
end
vim.lsp.util.apply_workspace_edit(fix.edit, "utf-16")
local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
if not text:find("persist-credentials: false", 1, true) then
  fail("the fix was not applied: " .. text)
end

wait(20000, "the fixed diagnostic to clear", function()
  return not has("pipeline/persisted-credentials")
end)

vim.lsp.stop_client(client_id)
vim.cmd("qall!")
