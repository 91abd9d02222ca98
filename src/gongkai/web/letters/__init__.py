"""Letters (文书) a clerk sends on an application, in 公文 layout (GB/T 9704): 登记回执, 补正告知书, 延期答复告知书,
第三方意见征询函, 收费通知书 and the 答复告知书 of each decision; per-body versioned templates; the letter gate (L1–L8)."""
