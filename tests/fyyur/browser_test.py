#!/usr/bin/python3
"""fyyur in a real browser: headless Chromium driven by Selenium (Debian's chromium,
chromium-driver and python3-selenium) against the fyyur program on a fresh SQLite file with the
seed data. Lists venues, searches, opens a venue, creates a venue (one invalid submit first), an
artist and a show for them, edits the venue, deletes it, and saves screenshots of the main pages.

    browser_test.py FYYUR_BINARY SCREENSHOT_DIR
"""
import os
import re
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def main():
    binary, shots = sys.argv[1], sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        server = subprocess.Popen(
            [binary, "--db", "sqlite:///" + os.path.join(work, "fyyur.db"), "--seed", "--port", "0", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            base = None
            deadline = time.time() + 30
            while base is None and time.time() < deadline:
                line = server.stdout.readline()
                if not line:
                    break
                m = re.search(r"serving on (http://[0-9.]+:[0-9]+)/", line)
                if m:
                    base = m.group(1)
            if base is None:
                sys.exit("fyyur did not start: " + server.stdout.read())
            run(base, shots)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("browser test passed; screenshots in", shots)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000",
                # Nothing leaves the machine: the seed's image links (unsplash.com) are not fetched.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok:", what)


def run(base, shots):
    d = browser()
    d.implicitly_wait(2)
    try:
        def text():
            return main_text(d)

        def shows_text(fragment, what):
            check(wait_for(d, fragment), what)
        d.get(base + "/")
        check("Fyyur" in d.title, "the home page")
        d.save_screenshot(os.path.join(shots, "home.png"))

        # The venues, grouped by area.
        d.find_element(By.LINK_TEXT, "Venues").click()
        areas = [h.text for h in d.find_elements(By.CSS_SELECTOR, ".area h2")]
        check(areas == ["San Francisco, CA", "New York, NY"], "venues grouped by city and state: %s" % areas)
        check(len(d.find_elements(By.CSS_SELECTOR, ".area li")) == 3, "three venues listed")
        d.save_screenshot(os.path.join(shots, "venues.png"))

        # Search: "Music" finds two, "Hop" one.
        for term, expected in (("Music", 2), ("Hop", 1)):
            box = d.find_element(By.NAME, "search_term")
            box.clear()
            box.send_keys(term)
            box.submit()
            count = d.find_element(By.CLASS_NAME, "result-count").text
            check(count.endswith(": %d" % expected), 'search "%s": %s' % (term, count))
            check(len(d.find_elements(By.CSS_SELECTOR, "ul.items li")) == expected, "%d results listed" % expected)
        d.save_screenshot(os.path.join(shots, "search.png"))

        # A venue with past and upcoming shows.
        d.find_element(By.LINK_TEXT, "Venues").click()
        d.find_element(By.PARTIAL_LINK_TEXT, "Park Square").click()
        check(d.find_element(By.ID, "upcoming-count").text == "3 Upcoming Shows", "Park Square: 3 upcoming shows")
        check(d.find_element(By.ID, "past-count").text == "1 Past Show", "Park Square: 1 past show")
        check(len(d.find_elements(By.CSS_SELECTOR, ".upcoming li.show")) == 3, "the upcoming shows listed")
        d.save_screenshot(os.path.join(shots, "venue.png"))

        # A new venue through the form: an invalid submit first, then a valid one.
        d.find_element(By.LINK_TEXT, "List a venue").click()
        fill(d, {"name": "The Browser Hall", "city": "Portland", "address": "1 Test Lane", "phone": "12345",
                 "website": "https://browserhall.example.com"})
        Select(d.find_element(By.ID, "state")).select_by_value("OR")
        d.find_element(By.CSS_SELECTOR, 'input[name="genres"][value="Jazz"]').click()
        d.find_element(By.ID, "submit").click()
        check("Invalid phone number" in d.find_element(By.ID, "phone-error").text, "an invalid phone is refused")
        check(d.find_element(By.ID, "name").get_attribute("value") == "The Browser Hall", "the form keeps the input")
        check(d.find_element(By.CSS_SELECTOR, 'input[name="genres"][value="Jazz"]').is_selected(), "and the genres")
        d.save_screenshot(os.path.join(shots, "venue_form_errors.png"))
        fill(d, {"phone": "503-555-0100"})
        d.find_element(By.ID, "submit").click()
        shows_text("Venue The Browser Hall was successfully listed!", "the venue is listed, with a flash")
        venue_id = d.current_url.rstrip("/").split("/")[-1]

        # A new artist, and a show for them at the new venue.
        d.find_element(By.LINK_TEXT, "List an artist").click()
        fill(d, {"name": "Selenium Quartet", "city": "Portland", "phone": "503-555-0199"})
        Select(d.find_element(By.ID, "state")).select_by_value("OR")
        d.find_element(By.CSS_SELECTOR, 'input[name="genres"][value="Classical"]').click()
        d.find_element(By.ID, "submit").click()
        shows_text("Artist Selenium Quartet was successfully listed!", "the artist is listed")
        artist_id = d.current_url.rstrip("/").split("/")[-1]
        d.find_element(By.LINK_TEXT, "List a show").click()
        fill(d, {"artist_id": artist_id, "venue_id": venue_id, "start_time": "2031-03-01 20:00"})
        d.find_element(By.ID, "submit").click()
        shows_text("Show was successfully listed!", "the show is listed")
        d.save_screenshot(os.path.join(shots, "shows.png"))
        shows_text("Selenium Quartet playing at The Browser Hall", "the show on /shows")
        d.save_screenshot(os.path.join(shots, "shows.png"))
        d.get(base + "/artists/" + artist_id)
        check(d.find_element(By.ID, "upcoming-count").text == "1 Upcoming Show", "the show on the artist's page")
        d.save_screenshot(os.path.join(shots, "artist.png"))
        d.get(base + "/venues/" + venue_id)
        check(d.find_element(By.ID, "upcoming-count").text == "1 Upcoming Show", "the show on the venue's page")
        check("2031-03-01 20:00:00" in text(), "with its time")

        # Edit the venue.
        d.find_element(By.LINK_TEXT, "Edit").click()
        check(d.find_element(By.ID, "name").get_attribute("value") == "The Browser Hall", "the edit form is pre-filled")
        fill(d, {"name": "The Renamed Hall"})
        d.find_element(By.ID, "submit").click()
        shows_text("Venue The Renamed Hall was successfully updated!", "the venue is updated")
        check(d.find_element(By.TAG_NAME, "h1").text == "The Renamed Hall", "under its new name")

        # Delete it: its show goes with it.
        d.find_element(By.ID, "delete-venue").click()
        shows_text("was successfully deleted.", "the venue is deleted")
        check("The Renamed Hall" not in text().split("deleted.")[-1], "and no longer listed")
        d.get(base + "/shows")
        check("Selenium Quartet" not in text(), "its show is gone from /shows")
        d.get(base + "/artists/" + artist_id)
        check(d.find_element(By.ID, "upcoming-count").text == "0 Upcoming Shows", "and from the artist's page")
    finally:
        d.quit()


def main_text(d):
    for _ in range(50):
        try:
            return " ".join(d.find_element(By.TAG_NAME, "main").text.split())
        except StaleElementReferenceException:  # the next page is coming in
            time.sleep(0.1)
    raise AssertionError("the page did not settle")


def wait_for(d, fragment, seconds=10):
    """True once the page's main text holds `fragment` (after a submit, the next page may take a moment)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if fragment in main_text(d):
            return True
        time.sleep(0.1)
    print("page text:", main_text(d))
    return False


def fill(d, fields):
    for name, value in fields.items():
        element = d.find_element(By.ID, name)
        element.clear()
        element.send_keys(value)


if __name__ == "__main__":
    main()
