"""主动公开: the catalog (政府信息公开目录) of each body, the confidentiality review before publication
(先审查、后公开, 一事一审), 索引号, the 20-working-day timeliness of 第二十六条, and section 二 figures."""
