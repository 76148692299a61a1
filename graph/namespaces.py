"""The IRIs casegraph uses, as closed namespaces: a misspelt term fails at once."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "CG",
    "CGV",
    "FORMATS",
    "ID",
    "LOAD",
    "META_GRAPH",
    "ONTOLOGY_UNIT",
    "RESTRICTED",
    "SD",
    "SEM",
    "SPARQL_RESULTS",
]


class CG(DefinedNamespace):
    """Terms of the casegraph ontology (``ontology/casegraph.ttl``)."""

    _NS = Namespace("https://w3id.org/casegraph/ontology#")
    _fail = True

    Agent: URIRef
    AttributeClaim: URIRef
    Campaign: URIRef
    CampaignEvent: URIRef
    Case: URIRef
    ChargeClaim: URIRef
    Claim: URIRef
    Court: URIRef
    CourtBranch: URIRef
    Entity: URIRef
    Event: URIRef
    HumanRightsOrganisation: URIRef
    InternationalBody: URIRef
    LegalEvent: URIRef
    LinkClaim: URIRef
    LoadUnit: URIRef
    NameClaim: URIRef
    NewsOutlet: URIRef
    Organisation: URIRef
    Person: URIRef
    Place: URIRef
    Prison: URIRef
    Protest: URIRef
    ProtestEvent: URIRef
    Public: URIRef
    Record: URIRef
    Restricted: URIRef
    RoleClaim: URIRef
    SentenceComponent: URIRef
    Source: URIRef
    StateBody: URIRef
    StatementEvent: URIRef
    Visibility: URIRef
    about: URIRef
    actor: URIRef
    allegedIncident: URIRef
    amount: URIRef
    altName: URIRef
    atOrganisation: URIRef
    attribute: URIRef
    basedIn: URIRef
    branchNumber: URIRef
    calendar: URIRef
    campaign: URIRef
    case: URIRef
    charge: URIRef
    chargeClaim: URIRef
    checksum: URIRef
    city: URIRef
    coDefendant: URIRef
    currency: URIRef
    confidence: URIRef
    contradicts: URIRef
    court: URIRef
    courtType: URIRef
    date: URIRef
    dateBasis: URIRef
    dateEarliest: URIRef
    dateLatest: URIRef
    dateQualifier: URIRef
    dateText: URIRef
    defendant: URIRef
    documentedBy: URIRef
    endDate: URIRef
    eventClass: URIRef
    eventType: URIRef
    forCharge: URIRef
    forPerson: URIRef
    foundingParticipant: URIRef
    ftmSchema: URIRef
    inCase: URIRef
    independenceKey: URIRef
    joinedPrison: URIRef
    judge: URIRef
    lashes: URIRef
    linkProperty: URIRef
    linkTarget: URIRef
    language: URIRef
    loadPath: URIRef
    loadedAt: URIRef
    mirrorOf: URIRef
    name: URIRef
    nameClaim: URIRef
    networkAnchor: URIRef
    networkEdge: URIRef
    networkLayer: URIRef
    networkNode: URIRef
    note: URIRef
    originPrison: URIRef
    originalDate: URIRef
    partOf: URIRef
    participatingPrison: URIRef
    person: URIRef
    place: URIRef
    placeText: URIRef
    prisonCount: URIRef
    protest: URIRef
    publishedBy: URIRef
    publishedDate: URIRef
    publisher: URIRef
    rank: URIRef
    recordId: URIRef
    reliability: URIRef
    reportedDate: URIRef
    role: URIRef
    roleText: URIRef
    script: URIRef
    searchKey: URIRef
    singleValued: URIRef
    sentenceComponent: URIRef
    sentenceCount: URIRef
    sentenceTerm: URIRef
    sentenceType: URIRef
    source: URIRef
    sourcesInherited: URIRef
    startDate: URIRef
    termLength: URIRef
    title: URIRef
    tripleCount: URIRef
    url: URIRef
    value: URIRef
    victim: URIRef
    visibility: URIRef
    weekNumber: URIRef
    wording: URIRef


class CGV(DefinedNamespace):
    """The concept schemes of ``ontology/vocabularies.ttl``; concepts are found by notation."""

    _NS = Namespace("https://w3id.org/casegraph/vocab#")
    _fail = True

    Charges: URIRef
    SentenceTypes: URIRef
    EventTypes: URIRef
    Roles: URIRef
    Attributes: URIRef
    CourtTypes: URIRef
    Reliability: URIRef


class SEM(DefinedNamespace):
    """The few Simple Event Model terms the ontology aligns with."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    Event: URIRef
    eventType: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTimeStamp: URIRef
    hasEarliestBeginTimeStamp: URIRef
    hasLatestEndTimeStamp: URIRef


#: The SPARQL 1.1 service description vocabulary and the W3C names of formats (``casegraph serve``).
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: The XML namespace of the SPARQL 1.1 query results XML format.
SPARQL_RESULTS = Namespace("http://www.w3.org/2005/sparql-results#")

#: Records written by researchers: ``ID[record_id]``.
ID = Namespace("https://w3id.org/casegraph/id/")

#: One named graph per loaded file keeps what that file contributed, so a reload replaces it.
LOAD = Namespace("urn:casegraph:load:")

#: One named graph per loaded file marks the statements only its restricted claims made (kept out of
#: the public view): ``RESTRICTED[<the part of the unit IRI after LOAD>]``.
RESTRICTED = Namespace("urn:casegraph:restricted:")

#: The graph that holds the bookkeeping about loads (cg:LoadUnit records).
META_GRAPH = URIRef("urn:casegraph:meta")

#: The load unit under which the ontology and vocabularies are kept in a store.
ONTOLOGY_UNIT = LOAD["builtin-ontology"]
