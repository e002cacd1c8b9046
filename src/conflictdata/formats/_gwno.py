"""Gleditsch-Ward country numbers and the ISO 3166-1 alpha-2 code of each.

Generated from country_converter 1.3.2's ``GWcode``
column; 198 numbers. Serbia (345), Kosovo (347), Yemen (678) and
Vietnam (816) are added as Gleditsch and Ward number them (the state each
continues), as UCDP does. A number the table does not hold (a state that
no longer exists, such as the German Democratic Republic) has no ISO
country. Regenerate with ``python -m tests.country_tables``.
"""

from __future__ import annotations

__all__ = ["ALPHA2"]

#: Gleditsch-Ward number -> ISO 3166-1 alpha-2 code.
ALPHA2: dict[int, str] = {
    2: "US",  # United States
    20: "CA",  # Canada
    31: "BS",  # Bahamas
    40: "CU",  # Cuba
    41: "HT",  # Haiti
    42: "DO",  # Dominican Republic
    51: "JM",  # Jamaica
    52: "TT",  # Trinidad and Tobago
    53: "BB",  # Barbados
    54: "DM",  # Dominica
    55: "GD",  # Grenada
    56: "LC",  # St. Lucia
    57: "VC",  # St. Vincent and the Grenadines
    58: "AG",  # Antigua and Barbuda
    60: "KN",  # St. Kitts and Nevis
    70: "MX",  # Mexico
    80: "BZ",  # Belize
    90: "GT",  # Guatemala
    91: "HN",  # Honduras
    92: "SV",  # El Salvador
    93: "NI",  # Nicaragua
    94: "CR",  # Costa Rica
    95: "PA",  # Panama
    100: "CO",  # Colombia
    101: "VE",  # Venezuela
    110: "GY",  # Guyana
    115: "SR",  # Suriname
    130: "EC",  # Ecuador
    135: "PE",  # Peru
    140: "BR",  # Brazil
    145: "BO",  # Bolivia
    150: "PY",  # Paraguay
    155: "CL",  # Chile
    160: "AR",  # Argentina
    165: "UY",  # Uruguay
    200: "^GB$|^UK$",  # United Kingdom
    205: "IE",  # Ireland
    210: "NL",  # Netherlands
    211: "BE",  # Belgium
    212: "LU",  # Luxembourg
    220: "FR",  # France
    221: "MC",  # Monaco
    223: "LI",  # Liechtenstein
    225: "CH",  # Switzerland
    230: "ES",  # Spain
    232: "AD",  # Andorra
    235: "PT",  # Portugal
    260: "DE",  # Germany
    290: "PL",  # Poland
    305: "AT",  # Austria
    310: "HU",  # Hungary
    315: "CZ",  # Czechia
    317: "SK",  # Slovakia
    325: "IT",  # Italy
    331: "SM",  # San Marino
    338: "MT",  # Malta
    339: "AL",  # Albania
    340: "RS",  # Serbia
    341: "ME",  # Montenegro
    343: "MK",  # North Macedonia
    344: "HR",  # Croatia
    345: "RS",  # Serbia
    346: "BA",  # Bosnia and Herzegovina
    347: "XK",  # Kosovo
    349: "SI",  # Slovenia
    350: "^GR$|^EL$",  # Greece
    352: "CY",  # Cyprus
    355: "BG",  # Bulgaria
    359: "MD",  # Moldova
    360: "RO",  # Romania
    365: "RU",  # Russia
    366: "EE",  # Estonia
    367: "LV",  # Latvia
    368: "LT",  # Lithuania
    369: "UA",  # Ukraine
    370: "BY",  # Belarus
    371: "AM",  # Armenia
    372: "GE",  # Georgia
    373: "AZ",  # Azerbaijan
    375: "FI",  # Finland
    380: "SE",  # Sweden
    385: "NO",  # Norway
    390: "DK",  # Denmark
    395: "IS",  # Iceland
    402: "CV",  # Cabo Verde
    403: "ST",  # Sao Tome and Principe
    404: "GW",  # Guinea-Bissau
    411: "GQ",  # Equatorial Guinea
    420: "GM",  # Gambia
    432: "ML",  # Mali
    433: "SN",  # Senegal
    434: "BJ",  # Benin
    435: "MR",  # Mauritania
    436: "NE",  # Niger
    437: "CI",  # Côte d'Ivoire
    438: "GN",  # Guinea
    439: "BF",  # Burkina Faso
    450: "LR",  # Liberia
    451: "SL",  # Sierra Leone
    452: "GH",  # Ghana
    461: "TG",  # Togo
    471: "CM",  # Cameroon
    475: "NG",  # Nigeria
    481: "GA",  # Gabon
    482: "CF",  # Central African Republic
    483: "TD",  # Chad
    484: "CG",  # Congo Republic
    490: "CD",  # DR Congo
    500: "UG",  # Uganda
    501: "KE",  # Kenya
    510: "TZ",  # Tanzania
    516: "BI",  # Burundi
    517: "RW",  # Rwanda
    520: "SO",  # Somalia
    522: "DJ",  # Djibouti
    530: "ET",  # Ethiopia
    531: "ER",  # Eritrea
    540: "AO",  # Angola
    541: "MZ",  # Mozambique
    551: "ZM",  # Zambia
    552: "ZW",  # Zimbabwe
    553: "MW",  # Malawi
    560: "ZA",  # South Africa
    565: "NA",  # Namibia
    570: "LS",  # Lesotho
    571: "BW",  # Botswana
    572: "SZ",  # Eswatini
    580: "MG",  # Madagascar
    581: "KM",  # Comoros
    590: "MU",  # Mauritius
    591: "SC",  # Seychelles
    600: "MA",  # Morocco
    615: "DZ",  # Algeria
    616: "TN",  # Tunisia
    620: "LY",  # Libya
    625: "SD",  # Sudan
    626: "SS",  # South Sudan
    630: "IR",  # Iran
    640: "TR",  # Türkiye
    645: "IQ",  # Iraq
    651: "EG",  # Egypt
    652: "SY",  # Syria
    660: "LB",  # Lebanon
    663: "JO",  # Jordan
    666: "IL",  # Israel
    670: "SA",  # Saudi Arabia
    678: "YE",  # Yemen
    680: "YE",  # Yemen
    690: "KW",  # Kuwait
    692: "BH",  # Bahrain
    694: "QA",  # Qatar
    696: "AE",  # United Arab Emirates
    698: "OM",  # Oman
    700: "AF",  # Afghanistan
    701: "TM",  # Turkmenistan
    702: "TJ",  # Tajikistan
    703: "KG",  # Kyrgyzstan
    704: "UZ",  # Uzbekistan
    705: "KZ",  # Kazakhstan
    710: "CN",  # China
    712: "MN",  # Mongolia
    713: "TW",  # Taiwan
    731: "KP",  # North Korea
    732: "KR",  # South Korea
    740: "JP",  # Japan
    750: "IN",  # India
    760: "BT",  # Bhutan
    770: "PK",  # Pakistan
    771: "BD",  # Bangladesh
    775: "MM",  # Myanmar
    780: "LK",  # Sri Lanka
    781: "MV",  # Maldives
    790: "NP",  # Nepal
    800: "TH",  # Thailand
    811: "KH",  # Cambodia
    812: "LA",  # Laos
    816: "VN",  # Vietnam
    817: "VN",  # Vietnam
    820: "MY",  # Malaysia
    830: "SG",  # Singapore
    835: "BN",  # Brunei Darussalam
    840: "PH",  # Philippines
    850: "ID",  # Indonesia
    860: "TL",  # Timor-Leste
    900: "AU",  # Australia
    910: "PG",  # Papua New Guinea
    920: "NZ",  # New Zealand
    935: "VU",  # Vanuatu
    940: "SB",  # Solomon Islands
    950: "FJ",  # Fiji
    970: "KI",  # Kiribati
    971: "NR",  # Nauru
    972: "TO",  # Tonga
    973: "TV",  # Tuvalu
    983: "MH",  # Marshall Islands
    986: "PW",  # Palau
    987: "FM",  # Micronesia, Fed. Sts.
    990: "WS",  # Samoa
}
