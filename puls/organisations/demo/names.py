"""Danish first and last names for the demo, with rough weights from their frequency.

Written by hand for the demo; the mix follows the generations born 1960–2004 that work in a
municipality today, including names of Danes with roots elsewhere.
"""


def _weighted(text: str) -> list[tuple[str, int]]:
    """Parse "Name weight, Name weight, ..." into (name, weight) pairs; higher means more common."""
    pairs = []
    for item in text.split(","):
        if item.strip():
            name, weight = item.rsplit(maxsplit=1)
            pairs.append((name.strip(), int(weight)))
    return pairs


FEMALE_FIRST_NAMES = _weighted(
    """
    Anne 12, Kirsten 9, Hanne 9, Mette 12, Susanne 8, Lene 8, Camilla 8, Maria 9, Louise 9, Charlotte 9,
    Marianne 7, Pia 6, Tina 6, Helle 7, Line 7, Julie 7, Sofie 6, Emma 4, Ida 5, Mathilde 4, Laura 5,
    Sara 5, Maja 4, Cecilie 6, Trine 6, Bente 5, Lone 6, Birgitte 6, Inge 3, Karen 5, Rikke 7, Dorthe 6,
    Jette 5, Gitte 5, Heidi 5, Malene 6, Stine 6, Tanja 5, Signe 5, Nanna 4, Katrine 6, Christina 6,
    Anja 4, Eva 4, Lotte 5, Vibeke 4, Annette 5, Maiken 3, Josefine 3, Amalie 3, Freja 3, Caroline 4,
    Emilie 5, Marie 8, Anna 6, Mia 3, Sanne 4, Ditte 4, Pernille 6, Johanne 3, Karina 5, Henriette 4,
    Ulla 3, Kamilla 3, Nadia 2, Anne-Marie 3, Mai-Britt 2, Fatima 2, Ayse 2, Zainab 1, Agnieszka 1,
    Linh 1
    """
)

MALE_FIRST_NAMES = _weighted(
    """
    Peter 12, Jens 10, Lars 10, Michael 11, Henrik 9, Søren 9, Thomas 10, Jan 7, Niels 7, Christian 9,
    Martin 9, Anders 8, Rasmus 8, Jesper 8, Morten 8, Mads 7, Frederik 6, Mikkel 6, Jacob 6, Kasper 6,
    Kim 5, Ole 5, Per 5, Steen 4, Torben 5, Bo 4, Claus 5, Jørgen 4, Poul 3, Carsten 5, Brian 5,
    Allan 4, René 4, Kenneth 4, Nikolaj 5, Emil 5, Oliver 3, Lucas 3, William 2, Magnus 4, Jonas 6,
    Simon 5, Daniel 6, Mathias 5, Sebastian 4, Tobias 4, Alexander 4, Troels 3, Ulrik 3, Flemming 4,
    Finn 3, Erik 4, Hans 4, Bjarne 3, Kristian 5, Mohammad 2, Ali 2, Ahmad 1, Emre 1, Tomasz 1
    """
)

LAST_NAMES = _weighted(
    """
    Nielsen 60, Jensen 60, Hansen 50, Pedersen 36, Andersen 36, Christensen 28, Larsen 27, Sørensen 25,
    Rasmussen 22, Jørgensen 20, Petersen 19, Madsen 15, Kristensen 15, Olsen 13, Thomsen 12,
    Christiansen 11, Poulsen 10, Johansen 10, Møller 10, Mortensen 10, Knudsen 8, Jakobsen 8,
    Mikkelsen 7, Frederiksen 7, Laursen 7, Henriksen 7, Lund 7, Schmidt 6, Holm 6, Eriksen 6,
    Kristiansen 6, Nørgaard 5, Clausen 5, Simonsen 5, Svendsen 5, Andreasen 5, Iversen 4, Jeppesen 4,
    Mogensen 4, Jacobsen 4, Vestergaard 4, Nissen 4, Lauridsen 4, Jepsen 4, Karlsen 3, Kjær 4,
    Mathiasen 3, Bertelsen 3, Dam 3, Friis 3, Bach 3, Lind 3, Winther 3, Bak 3, Skov 3, Dahl 3, Berg 3,
    Thygesen 2, Kjeldsen 3, Overgaard 2, Juhl 2, Gregersen 2, Toft 2, Brandt 2, Koch 2, Hedegaard 2,
    Bundgaard 2, Østergaard 3, Ahmed 2, Yilmaz 2, Hussein 1, Khan 1, Nguyen 1, Kowalski 1
    """
)
