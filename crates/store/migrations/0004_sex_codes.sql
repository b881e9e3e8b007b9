-- SEX as the SSDA903 return has recorded it since 2024-25: M, F or U
-- (older returns' 1 and 2 become M and F).
ALTER TABLE young_people ADD COLUMN sex_code TEXT CHECK (sex_code IN ('M', 'F', 'U'));
UPDATE young_people SET sex_code = CASE sex WHEN 1 THEN 'M' WHEN 2 THEN 'F' END;
ALTER TABLE young_people DROP COLUMN sex;
ALTER TABLE young_people RENAME COLUMN sex_code TO sex;
