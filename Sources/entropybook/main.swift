print("entropybook")
