"""FIPS 10-4 country codes, which GDELT's geographies use, and their ISO 3166-1 alpha-2 codes.

From the crosswalk in the CIA World Factbook's appendix D ("Cross-reference
list of country data codes"). FIPS codes of places without an ISO 3166-1
code of their own (Akrotiri, Dhekelia, the Paracel and Spratly Islands,
Clipperton, the French scattered islands) are left out: those places get
no country. Gaza Strip and West Bank are ISO's PS; Kosovo is ``XK``.
"""

from __future__ import annotations

__all__ = ["FIPS", "TO_FIPS"]

# FIPS code then ISO code, pair by pair.
_TABLE = (
    "AA AW AC AG AE AE AF AF AG DZ AJ AZ AL AL AM AM AN AD AO AO AQ AS AR AR AS AU AU AT AV AI "
    "AY AQ BA BH BB BB BC BW BD BM BE BE BF BS BG BD BH BZ BK BA BL BO BM MM BN BJ BO BY BP SB "
    "BR BR BT BT BU BG BV BV BX BN BY BI CA CA CB KH CD TD CE LK CF CG CG CD CH CN CI CL CJ KY "
    "CK CC CM CM CN KM CO CO CQ MP CS CR CT CF CU CU CV CV CW CK CY CY DA DK DJ DJ DO DM DR DO "
    "EC EC EG EG EI IE EK GQ EN EE ER ER ES SV ET ET EZ CZ FG GF FI FI FJ FJ FK FK FM FM FO FO "
    "FP PF FQ UM FR FR FS TF GA GM GB GA GG GE GH GH GI GI GJ GD GK GG GL GL GM DE GP GP GQ GU "
    "GR GR GT GT GV GN GY GY GZ PS HA HT HK HK HM HM HO HN HQ UM HR HR HU HU IC IS ID ID IM IM "
    "IN IN IO IO IR IR IS IL IT IT IV CI IZ IQ JA JP JE JE JM JM JN SJ JO JO JQ UM KE KE KG KG "
    "KN KP KQ UM KR KI KS KR KT CX KU KW KV XK KZ KZ LA LA LE LB LG LV LH LT LI LR LO SK LQ UM "
    "LS LI LT LS LU LU LY LY MA MG MB MQ MC MO MD MD MF YT MG MN MH MS MI MW MJ ME MK MK ML ML "
    "MN MC MO MA MP MU MQ UM MR MR MT MT MU OM MV MV MX MX MY MY MZ MZ NC NC NE NU NF NF NG NE "
    "NH VU NI NG NL NL NN SX NO NO NP NP NR NR NS SR NU NI NZ NZ OD SS PA PY PC PN PE PE PK PK "
    "PL PL PM PA PO PT PP PG PS PW PU GW QA QA RE RE RI RS RM MH RN MF RO RO RP PH RQ PR RS RU "
    "RW RW SA SA SB PM SC KN SE SC SF ZA SG SN SH SH SI SI SL SL SM SM SN SG SO SO SP ES ST LC "
    "SU SD SV SJ SW SE SX GS SY SY SZ CH TB BL TD TT TH TH TI TJ TK TC TL TK TN TO TO TG TP ST "
    "TS TN TT TL TU TR TV TV TW TW TX TM TZ TZ UC CW UG UG UK GB UP UA US US UV BF UY UY UZ UZ "
    "VC VC VE VE VI VG VM VN VQ VI VT VA WA NA WE PS WF WF WI EH WQ UM WS WS WZ SZ YM YE ZA ZM "
    "ZI ZW"
)
_PAIRS = _TABLE.split()

#: FIPS 10-4 country code -> ISO 3166-1 alpha-2 code.
FIPS: dict[str, str] = dict(zip(_PAIRS[::2], _PAIRS[1::2], strict=True))

#: ISO 3166-1 alpha-2 code -> the FIPS code written for it (the first, where several share it).
TO_FIPS: dict[str, str] = {}
for _fips, _iso in FIPS.items():
    TO_FIPS.setdefault(_iso, _fips)
