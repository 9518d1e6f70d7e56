package codeset

import "strings"

// The tables below spell out the coded fields of the CMS alpha-numeric
// HCPCS file, so that a coder sees "Special coverage instructions apply"
// rather than a bare "D". The wording is CMS's, from the 2019 HCPCS record
// layout (HCPCS2019_recordlayout.txt) and the table of codes appendix at its
// end, tidied to one line in sentence case with CMS's typos fixed.
//
// Each lookup trims blanks around the code, so a raw fixed-width field
// ("M3 ") finds the same text as the trimmed one ("M3"), and returns "" for
// a code the layout does not document; the caller then shows the raw code.

// HCPCSCoverageMeaning spells out a coverage code (column 230).
func HCPCSCoverageMeaning(code string) string { return lookupMeaning(hcpcsCoverage, code) }

// HCPCSPricingMeaning spells out a pricing indicator code (columns 120-127,
// up to four per record).
func HCPCSPricingMeaning(code string) string { return lookupMeaning(hcpcsPricing, code) }

// HCPCSMultiPricingMeaning spells out a multiple pricing indicator code
// (column 128).
func HCPCSMultiPricingMeaning(code string) string { return lookupMeaning(hcpcsMultiPricing, code) }

// HCPCSActionMeaning spells out an action code (column 293).
func HCPCSActionMeaning(code string) string { return lookupMeaning(hcpcsAction, code) }

// HCPCSTypeOfServiceMeaning spells out a CMS type of service code (columns
// 261-265, up to five per record).
func HCPCSTypeOfServiceMeaning(code string) string { return lookupMeaning(hcpcsTypeOfService, code) }

// HCPCSBETOSMeaning spells out a Berenson-Eggers type of service code
// (columns 257-259).
func HCPCSBETOSMeaning(code string) string { return lookupMeaning(hcpcsBETOS, code) }

// HCPCSLabCertMeaning spells out a lab certification code (columns 181-204,
// up to eight per record). A generally certified laboratory (e.g. 100) may
// perform any of the tests in its subgroups (110, 120, ...).
func HCPCSLabCertMeaning(code string) string { return lookupMeaning(hcpcsLabCert, code) }

// hcpcsMOGPolicyMeaning spells out a MOG payment policy indicator (column
// 244), which tells whether a code is subject to an ASC facility fee, to a
// separate fee under another provision of Medicare, or to no fee at all.
func hcpcsMOGPolicyMeaning(code string) string { return lookupMeaning(hcpcsMOGPolicy, code) }

func lookupMeaning(table map[string]string, code string) string {
	return table[strings.TrimSpace(code)]
}

// hcpcsCoverage is field 16, HCPCS coverage code.
var hcpcsCoverage = map[string]string{
	"C": "Carrier judgment",
	"D": "Special coverage instructions apply",
	"I": "Not payable by Medicare",
	"M": "Non-covered by Medicare",
	"S": "Non-covered by Medicare statute",
}

// hcpcsPricing is field 9, HCPCS pricing indicator code. CMS groups the
// codes: 11-13 physician fee schedule and non-physician practitioners linked
// to it; 21-22 clinical lab fee schedule; 31-46 durable medical equipment,
// prosthetics, orthotics, supplies and surgical dressings; 51-57 other.
var hcpcsPricing = map[string]string{
	"00": "Service not separately priced by part B (e.g., services not covered, bundled, used by part A only, etc.)",
	"11": "Price established using national RVU's",
	"12": "Price established using national anesthesia base units",
	"13": "Price established by carriers (e.g., not otherwise classified, individual determination, carrier discretion)",
	"21": "Price subject to national limitation amount",
	"22": "Price established by carriers (e.g., gap-fills, carrier established panels)",
	"31": "Frequently serviced DME (price subject to floors and ceilings)",
	"32": "Inexpensive & routinely purchased DME (price subject to floors and ceilings)",
	"33": "Oxygen and oxygen equipment (price subject to floors and ceilings)",
	"34": "DME supplies (price subject to floors and ceilings)",
	"35": "Surgical dressings (price subject to floors and ceilings)",
	"36": "Capped rental DME (price subject to floors and ceilings)",
	"37": "Ostomy, tracheostomy and urological supplies (price subject to floors and ceilings)",
	"38": "Orthotics, prosthetics, prosthetic devices & vision services (price subject to floors and ceilings)",
	"39": "Parenteral and enteral nutrition",
	"45": "Customized DME items",
	"46": "Carrier priced (e.g., not otherwise classified, individual determination, carrier discretion, gap-filled amounts)",
	"51": "Drugs",
	"52": "Reasonable charge",
	"53": "Statute",
	"54": "Vaccinations",
	"55": "Splints and casts (eff 10/1/2014)",
	"56": "IOL's inserted in a physician's office (eff 10/1/2014)",
	"57": "Other carrier priced",
	"99": "Value not established",
}

// hcpcsMultiPricing is field 10, HCPCS multiple pricing indicator code.
var hcpcsMultiPricing = map[string]string{
	"9": "Not applicable as HCPCS not priced separately by part B (pricing indicator is 00) or value is not established (pricing indicator is 99)",
	"A": "Not applicable as HCPCS priced under one methodology",
	"B": "Professional component of HCPCS priced using RVU's, while technical component and global service priced by Medicare part B carriers",
	"C": "Physician interpretation of clinical lab service is priced under physician fee schedule using RVU's, while pricing of lab service is paid under clinical lab fee schedule",
	"D": "Service performed by physician is priced under physician fee schedule using RVU's, while service performed by clinical psychologist is priced under clinical psychologist fee schedule (not applicable as of January 1, 1998)",
	"E": "Service performed by physician is priced under physician fee schedule using RVU's, service performed by clinical psychologist is priced under clinical psychologist's fee schedule and service performed by clinical social worker is priced under clinical social worker fee schedule (not applicable as of January 1, 1998)",
	"F": "Service performed by physician is priced under physician fee schedule by carriers, service performed by clinical psychologist is priced under clinical psychologist's fee schedule and service performed by clinical social worker is priced under clinical social worker fee schedule (not applicable as of January 1, 1998)",
	"G": "Clinical lab service priced under reasonable charge when service is submitted on claim with blood products, while service is priced under clinical lab fee schedule when there are no blood products on claim",
}

// hcpcsAction is field 30, HCPCS action code.
var hcpcsAction = map[string]string{
	"A": "Add procedure or modifier code",
	"B": "Change in both administrative data field and long description of procedure or modifier code",
	"C": "Change in long description of procedure or modifier code",
	"D": "Discontinue procedure or modifier code",
	"F": "Change in administrative data field of procedure or modifier code",
	"N": "No maintenance for this code",
	"P": "Payment change (MOG, pricing indicator codes, anesthesia base units, ambulatory surgical centers)",
	"R": "Re-activate discontinued/deleted procedure or modifier code",
	"S": "Change in short description of procedure code",
	"T": "Miscellaneous change (BETOS, type of service)",
}

// hcpcsTypeOfService is CMS_TYPE_SRVC_TB, the CMS type of service table of
// the appendix (field 25).
var hcpcsTypeOfService = map[string]string{
	"1": "Medical care",
	"2": "Surgery",
	"3": "Consultation",
	"4": "Diagnostic radiology",
	"5": "Diagnostic laboratory",
	"6": "Therapeutic radiology",
	"7": "Anesthesia",
	"8": "Assistant at surgery",
	"9": "Other medical items or services",
	"0": "Whole blood only eff 01/96, whole blood or packed red cells before 01/96",
	"A": "Used durable medical equipment (DME)",
	"B": "High risk screening mammography (obsolete 1/1/98)",
	"C": "Low risk screening mammography (obsolete 1/1/98)",
	"D": "Ambulance (eff 04/95)",
	"E": "Enteral/parenteral nutrients/supplies (eff 04/95)",
	"F": "Ambulatory surgical center (facility usage for surgical services)",
	"G": "Immunosuppressive drugs",
	"H": "Hospice services (discontinued 01/95)",
	"I": "Purchase of DME (installment basis) (discontinued 04/95)",
	"J": "Diabetic shoes (eff 04/95)",
	"K": "Hearing items and services (eff 04/95)",
	"L": "ESRD supplies (eff 04/95) (renal supplier in the home before 04/95)",
	"M": "Monthly capitation payment for dialysis",
	"N": "Kidney donor",
	"P": "Lump sum purchase of DME, prosthetics, orthotics",
	"Q": "Vision items or services",
	"R": "Rental of DME",
	"S": "Surgical dressings or other medical supplies (eff 04/95)",
	"T": "Psychological therapy (term. 12/31/97), outpatient mental health limitation (eff. 1/1/98)",
	"U": "Occupational therapy",
	"V": "Pneumococcal/flu vaccine (eff 01/96), pneumococcal/flu/hepatitis B vaccine (eff 04/95-12/95), pneumococcal only before 04/95",
	"W": "Physical therapy",
	"Y": "Second opinion on elective surgery (obsoleted 1/97)",
	"Z": "Third opinion on elective surgery (obsoleted 1/97)",
}

// hcpcsBETOS is BETOS_TB, the Berenson-Eggers type of service table of the
// appendix (field 23).
var hcpcsBETOS = map[string]string{
	"M1A": "Office visits - new",
	"M1B": "Office visits - established",
	"M2A": "Hospital visit - initial",
	"M2B": "Hospital visit - subsequent",
	"M2C": "Hospital visit - critical care",
	"M3":  "Emergency room visit",
	"M4A": "Home visit",
	"M4B": "Nursing home visit",
	"M5A": "Specialist - pathology",
	"M5B": "Specialist - psychiatry",
	"M5C": "Specialist - ophthalmology",
	"M5D": "Specialist - other",
	"M6":  "Consultations",
	"P0":  "Anesthesia",
	"P1A": "Major procedure - breast",
	"P1B": "Major procedure - colectomy",
	"P1C": "Major procedure - cholecystectomy",
	"P1D": "Major procedure - TURP",
	"P1E": "Major procedure - hysterectomy",
	"P1F": "Major procedure - explor/decompr/excisdisc",
	"P1G": "Major procedure - other",
	"P2A": "Major procedure, cardiovascular - CABG",
	"P2B": "Major procedure, cardiovascular - aneurysm repair",
	"P2C": "Major procedure, cardiovascular - thromboendarterectomy",
	"P2D": "Major procedure, cardiovascular - coronary angioplasty (PTCA)",
	"P2E": "Major procedure, cardiovascular - pacemaker insertion",
	"P2F": "Major procedure, cardiovascular - other",
	"P3A": "Major procedure, orthopedic - hip fracture repair",
	"P3B": "Major procedure, orthopedic - hip replacement",
	"P3C": "Major procedure, orthopedic - knee replacement",
	"P3D": "Major procedure, orthopedic - other",
	"P4A": "Eye procedure - corneal transplant",
	"P4B": "Eye procedure - cataract removal/lens insertion",
	"P4C": "Eye procedure - retinal detachment",
	"P4D": "Eye procedure - treatment of retinal lesions",
	"P4E": "Eye procedure - other",
	"P5A": "Ambulatory procedures - skin",
	"P5B": "Ambulatory procedures - musculoskeletal",
	"P5C": "Ambulatory procedures - inguinal hernia repair",
	"P5D": "Ambulatory procedures - lithotripsy",
	"P5E": "Ambulatory procedures - other",
	"P6A": "Minor procedures - skin",
	"P6B": "Minor procedures - musculoskeletal",
	"P6C": "Minor procedures - other (Medicare fee schedule)",
	"P6D": "Minor procedures - other (non-Medicare fee schedule)",
	"P7A": "Oncology - radiation therapy",
	"P7B": "Oncology - other",
	"P8A": "Endoscopy - arthroscopy",
	"P8B": "Endoscopy - upper gastrointestinal",
	"P8C": "Endoscopy - sigmoidoscopy",
	"P8D": "Endoscopy - colonoscopy",
	"P8E": "Endoscopy - cystoscopy",
	"P8F": "Endoscopy - bronchoscopy",
	"P8G": "Endoscopy - laparoscopic cholecystectomy",
	"P8H": "Endoscopy - laryngoscopy",
	"P8I": "Endoscopy - other",
	"P9A": "Dialysis services (Medicare fee schedule)",
	"P9B": "Dialysis services (non-Medicare fee schedule)",
	"I1A": "Standard imaging - chest",
	"I1B": "Standard imaging - musculoskeletal",
	"I1C": "Standard imaging - breast",
	"I1D": "Standard imaging - contrast gastrointestinal",
	"I1E": "Standard imaging - nuclear medicine",
	"I1F": "Standard imaging - other",
	"I2A": "Advanced imaging - CAT/CT/CTA: brain/head/neck",
	"I2B": "Advanced imaging - CAT/CT/CTA: other",
	"I2C": "Advanced imaging - MRI/MRA: brain/head/neck",
	"I2D": "Advanced imaging - MRI/MRA: other",
	"I3A": "Echography/ultrasonography - eye",
	"I3B": "Echography/ultrasonography - abdomen/pelvis",
	"I3C": "Echography/ultrasonography - heart",
	"I3D": "Echography/ultrasonography - carotid arteries",
	"I3E": "Echography/ultrasonography - prostate, transrectal",
	"I3F": "Echography/ultrasonography - other",
	"I4A": "Imaging/procedure - heart including cardiac catheterization",
	"I4B": "Imaging/procedure - other",
	"T1A": "Lab tests - routine venipuncture (non-Medicare fee schedule)",
	"T1B": "Lab tests - automated general profiles",
	"T1C": "Lab tests - urinalysis",
	"T1D": "Lab tests - blood counts",
	"T1E": "Lab tests - glucose",
	"T1F": "Lab tests - bacterial cultures",
	"T1G": "Lab tests - other (Medicare fee schedule)",
	"T1H": "Lab tests - other (non-Medicare fee schedule)",
	"T2A": "Other tests - electrocardiograms",
	"T2B": "Other tests - cardiovascular stress tests",
	"T2C": "Other tests - EKG monitoring",
	"T2D": "Other tests - other",
	"D1A": "Medical/surgical supplies",
	"D1B": "Hospital beds",
	"D1C": "Oxygen and supplies",
	"D1D": "Wheelchairs",
	"D1E": "Other DME",
	"D1F": "Prosthetic/orthotic devices",
	"D1G": "Drugs administered through DME",
	"O1A": "Ambulance",
	"O1B": "Chiropractic",
	"O1C": "Enteral and parenteral",
	"O1D": "Chemotherapy",
	"O1E": "Other drugs",
	"O1F": "Hearing and speech services",
	"O1G": "Immunizations/vaccinations",
	"Y1":  "Other - Medicare fee schedule",
	"Y2":  "Other - non-Medicare fee schedule",
	"Z1":  "Local codes",
	"Z2":  "Undefined codes",
}

// hcpcsLabCert is field 14, HCPCS lab certification code. The codes ending
// in 00 are the general categories; the others are their subgroups.
var hcpcsLabCert = map[string]string{
	"010": "Histocompatibility testing",
	"100": "Microbiology",
	"110": "Bacteriology",
	"115": "Mycobacteriology",
	"120": "Mycology",
	"130": "Parasitology",
	"140": "Virology",
	"150": "Other microbiology",
	"200": "Diagnostic immunology",
	"210": "Syphilis serology",
	"220": "General immunology",
	"300": "Chemistry",
	"310": "Routine chemistry",
	"320": "Urinalysis",
	"330": "Endocrinology",
	"340": "Toxicology",
	"350": "Other chemistry",
	"400": "Hematology",
	"500": "Immunohematology",
	"510": "ABO group & Rh type",
	"520": "Antibody detection (transfusion)",
	"530": "Antibody detection (nontransfusion)",
	"540": "Antibody identification",
	"550": "Compatibility testing",
	"560": "Other immunohematology",
	"600": "Pathology",
	"610": "Histopathology",
	"620": "Oral pathology",
	"630": "Cytology",
	"800": "Radiobioassay",
	"900": "Clinical cytogenetics",
}

// hcpcsMOGPolicy is field 20, HCPCS MOG payment policy indicator.
var hcpcsMOGPolicy = map[string]string{
	"1": "ASC covered procedure",
	"2": "Bundled service/no separate payment",
	"3": "Excluded from ASC list",
	"4": "Invalid code/90 day grace period",
	"6": "Separate payment when furnished in an ASC",
	"7": "ASC restricted coverage procedure",
	"9": "ASC payment not applicable",
}
