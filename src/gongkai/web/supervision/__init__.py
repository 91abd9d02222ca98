"""The supervising office (督查): batch review of subordinate bodies' annual reports, findings confirmed or
dismissed, 督办 sent to a body and answered there, the roll-up of sections 三/四, the year's review as XLSX/DOCX."""
